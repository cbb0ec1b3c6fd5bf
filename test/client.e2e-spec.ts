import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GhibliClient } from '../src/client';
import { asAdmin, TEST_ADMIN_PASSWORD } from './setup/auth';
import { putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { CuttingProxy } from './setup/cutting-proxy';
import { claim, workerCall } from './setup/workers';

const admin = { username: 'admin', password: TEST_ADMIN_PASSWORD };

describe('the submitter client (src/client) against a real gateway', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    baseUrl = await t.listen();
    await putContract(t, 'client-orders');
  });

  afterAll(async () => {
    await t?.close();
  });

  const jobsOf = async (query: string) =>
    (await request(t.server).get(t.path(`/job-manager/jobs?contract=client-orders&includeTotal=true&${query}`)).set(asAdmin()).expect(200)).body;

  it('retries a submission whose connection was cut after the gateway took it: one job, reported as replayed', async () => {
    const proxy = await CuttingProxy.start(Number(new URL(baseUrl).port));
    try {
      const client = new GhibliClient({ baseUrl: baseUrl.replace(/:\d+/, `:${proxy.port}`), auth: admin, retry: { baseDelayMs: 10 } });
      const result = await client.submit({ contractName: 'client-orders', actionName: 'import', actionVariables: { date: '2026-12-02' } });
      expect(proxy.cut).toBe(1);
      expect(proxy.connections).toBeGreaterThanOrEqual(2);
      expect(result).toMatchObject({ replayed: true, mismatch: false, job: { status: 'SUBMITTED', actionVariables: { date: '2026-12-02' } } });
      const created = await jobsOf(`extIPID=${encodeURIComponent(result.job.extIPID ?? '')}`);
      expect(created.total).toBe(1);
      expect(created.jobs[0].id).toBe(result.job.id);
      const events = await new GhibliClient({ baseUrl, auth: admin }).events(result.job.id);
      const types: string[] = [];
      for await (const event of events) types.push(event.type);
      expect(types).toEqual(['job.submitted', 'job.replayed']);
    } finally {
      await proxy.close();
    }
  });

  it('waits for a job over long-polls, seeing its progress, and lists jobs across pages', async () => {
    const client = new GhibliClient({ baseUrl, auth: admin });
    const { job } = await client.submit({ contractName: 'client-orders', actionName: 'import', actionVariables: { date: '2026-12-03' } });
    const seen: (number | null)[] = [];
    const waiting = client.waitFor(job.id, { pollSeconds: 1, onProgress: (each) => seen.push(each.progress) });
    const claimed = (await claim(t, asAdmin(), { queues: ['imports'], maxJobs: 10 })).find((each) => each.id === job.id);
    if (!claimed) throw new Error(`job ${job.id} was not claimed`);
    await workerCall(t, asAdmin(), claimed.id, 'heartbeat', { leaseToken: claimed.lease.token, progress: 40 }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await workerCall(t, asAdmin(), claimed.id, 'complete', { leaseToken: claimed.lease.token, result: { rows: 3 } }).expect(200);
    await expect(waiting).resolves.toMatchObject({ id: job.id, status: 'COMPLETED', result: { rows: 3 } });
    expect(seen).toContain(40);

    const listed: string[] = [];
    for await (const each of client.list({ contract: 'client-orders', maxItems: 1 })) listed.push(each.id);
    expect(listed).toEqual((await jobsOf('maxItems=100')).jobs.map((each: { id: string }) => each.id));
    expect(listed.length).toBeGreaterThanOrEqual(2);
  });

  it('throws typed problems: a 400 with its field errors, a 404 with its code', async () => {
    const client = new GhibliClient({ baseUrl, auth: admin });
    await expect(client.submit({ contractName: 'client-orders', actionName: 'import' })).rejects.toMatchObject({
      name: 'GatewayProblemError',
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ field: expect.stringContaining('date') })],
    });
    await expect(client.get('999999999')).rejects.toMatchObject({ status: 404, code: 'JOB_NOT_FOUND' });
  });
});
