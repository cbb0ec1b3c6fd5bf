import { describe, expect, it } from 'vitest';
import { WaitTimeoutError } from './errors';
import { GhibliClient } from './ghibli-client';
import { jobBody, json, scriptedFetch } from './testing/scripted-fetch';

const BASE = 'http://proxy/gw';

describe('GhibliClient', () => {
  it.each([
    [{ token: 't0k' }, 'authorization', 'Bearer t0k'],
    [{ apiKey: 'k3y' }, 'x-api-key', 'k3y'],
    [{ username: 'alice', password: 'pw' }, 'authorization', `Basic ${Buffer.from('alice:pw').toString('base64')}`],
  ])('authenticates with %o', async (auth, header, value) => {
    const { fetch, requests } = scriptedFetch(json(200, jobBody()));
    await new GhibliClient({ baseUrl: BASE, auth, fetch }).get('7');
    expect(requests[0].headers[header]).toBe(value);
  });

  it('reports a replay with other variables as a mismatch', async () => {
    const { fetch } = scriptedFetch(json(409, jobBody(), { 'Idempotent-Replayed': 'true', 'Idempotency-Mismatch': 'actionVariables' }));
    const result = await new GhibliClient({ baseUrl: BASE, fetch }).submit({ contractName: 'c', actionName: 'a', extIPID: 'k' });
    expect(result).toMatchObject({ replayed: true, mismatch: true });
  });

  it('lists every page, following next below its own base URL', async () => {
    const { fetch, requests } = scriptedFetch(
      json(200, { jobs: [jobBody({ id: '3' }), jobBody({ id: '2' })], next: '/ghibli-rest/v2/job-manager/jobs?status=ERROR&maxItems=2&cursor=abc' }),
      json(200, { jobs: [jobBody({ id: '1' })] }),
    );
    const ids: string[] = [];
    for await (const job of new GhibliClient({ baseUrl: BASE, fetch }).list({ status: 'ERROR', maxItems: 2, includeTotal: undefined })) ids.push(job.id);
    expect(ids).toEqual(['3', '2', '1']);
    expect(requests.map((request) => request.url)).toEqual([
      `${BASE}/job-manager/jobs?status=ERROR&maxItems=2`,
      `${BASE}/job-manager/jobs?status=ERROR&maxItems=2&cursor=abc`,
    ]);
  });

  it('waits over long-polls until the job is final, telling each answer', async () => {
    const { fetch, requests } = scriptedFetch(
      json(200, jobBody({ status: 'RUNNING', progress: 40 })),
      json(200, jobBody({ status: 'COMPLETED', progress: 100 })),
    );
    const seen: unknown[] = [];
    const job = await new GhibliClient({ baseUrl: BASE, fetch }).waitFor('7', { pollSeconds: 5, onProgress: (each) => seen.push(each.progress) });
    expect(job.status).toBe('COMPLETED');
    expect(seen).toEqual([40, 100]);
    expect(requests[0].url).toBe(`${BASE}/job-manager/jobs/7?waitSeconds=5`);
  });

  it('gives up waiting after its timeout with the job as last seen', async () => {
    const { fetch, requests } = scriptedFetch((request) => {
      expect(request.url).toMatch(/waitSeconds=0$/);
      return json(200, jobBody({ status: 'RUNNING' }));
    });
    await expect(new GhibliClient({ baseUrl: BASE, fetch }).waitFor('7', { timeoutMs: 0 })).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(requests).toHaveLength(1);
  });
});
