import { describe, expect, it } from 'vitest';
import { GatewayProblemError, GatewayUnavailableError } from './errors';
import { GhibliClient } from './ghibli-client';
import type { FetchFunction } from './http-transport';
import { isRetryableStatus } from './retry-policy';
import { connectionRefused, connectionReset, fakeClock, jobBody, json, problem, scriptedFetch } from './testing/scripted-fetch';

const submission = { contractName: 'acme-orders', actionName: 'import', actionVariables: { date: '2026-11-23' } };

function clientWith(fetch: FetchFunction, retry = {}) {
  const clock = fakeClock();
  const client = new GhibliClient({ baseUrl: 'http://gw/ghibli-rest/v2/', fetch, retry, sleep: clock.sleep, now: clock.now, random: () => 0.5 });
  return { client, clock };
}

describe('the retry policy (docs/client.md, "Retry policy")', () => {
  it('retries a submission whose connection dropped after it reached the gateway, and reports the replay', async () => {
    const { fetch, requests } = scriptedFetch(connectionReset(), json(409, jobBody({ id: '42' }), { 'Idempotent-Replayed': 'true' }));
    const { client } = clientWith(fetch);
    const result = await client.submit(submission);
    expect(result).toMatchObject({ job: { id: '42' }, replayed: true, mismatch: false });
    expect(requests).toHaveLength(2);
    expect(requests[0].url).toBe('http://gw/ghibli-rest/v2/job-manager/jobs');
  });

  it('sends the same generated extIPID on every attempt of one call, and a new one on the next call', async () => {
    const { fetch, requests } = scriptedFetch(
      connectionReset(),
      problem(503, 'DATABASE_UNAVAILABLE'),
      problem(502, 'HTTP_502'),
      json(201, jobBody()),
      json(201, jobBody({ id: '8' })),
    );
    const { client } = clientWith(fetch);
    await client.submit(submission);
    await client.submit(submission);
    const keys = requests.map((request) => (request.body as { extIPID: string }).extIPID);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys.slice(0, 4)).toEqual([keys[0], keys[0], keys[0], keys[0]]);
    expect(keys[4]).not.toBe(keys[0]);
  });

  it('keeps the extIPID the caller gave', async () => {
    const { fetch, requests } = scriptedFetch(connectionReset(), json(201, jobBody()));
    await clientWith(fetch).client.submit({ ...submission, extIPID: 'orders-2026-11-23' });
    expect(requests.map((request) => (request.body as { extIPID: string }).extIPID)).toEqual(['orders-2026-11-23', 'orders-2026-11-23']);
  });

  it('waits what a 503 Retry-After asks for', async () => {
    const { fetch, requests } = scriptedFetch(problem(503, 'DATABASE_UNAVAILABLE', {}, { 'Retry-After': '3' }), json(201, jobBody()));
    const { client, clock } = clientWith(fetch);
    expect((await client.submit(submission)).replayed).toBe(false);
    expect(clock.sleeps).toEqual([3000]);
    expect(requests).toHaveLength(2);
  });

  it('retries a 429 with exponential backoff and full jitter when no Retry-After is given', async () => {
    const { fetch } = scriptedFetch(problem(429, 'RATE_LIMITED'), problem(429, 'RATE_LIMITED'), problem(429, 'RATE_LIMITED'), json(201, jobBody()));
    const { client, clock } = clientWith(fetch, { baseDelayMs: 100 });
    await client.submit(submission);
    // random() = 0.5 of bounds 100, 200, 400
    expect(clock.sleeps).toEqual([50, 100, 200]);
  });

  it('does not retry a 400, and types its problem details', async () => {
    const errors = [{ field: 'actionVariables.date', message: 'date is required' }];
    const { fetch, requests } = scriptedFetch(problem(400, 'VALIDATION_FAILED', { errors }));
    const error = await clientWith(fetch).client.submit(submission).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayProblemError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'VALIDATION_FAILED detail', errors, problem: { instance: '/x' } });
    expect(requests).toHaveLength(1);
  });

  it.each([401, 403, 404, 422, 500])('does not retry a %i', async (status) => {
    const { fetch, requests } = scriptedFetch(problem(status, 'SOMETHING'));
    await expect(clientWith(fetch).client.get('7')).rejects.toMatchObject({ status, code: 'SOMETHING' });
    expect(requests).toHaveLength(1);
  });

  it('gives up after maxAttempts with the last failure', async () => {
    const { fetch, requests } = scriptedFetch(...Array.from({ length: 3 }, () => problem(503, 'DATABASE_UNAVAILABLE', {}, { 'Retry-After': '1' })));
    const error = await clientWith(fetch, { maxAttempts: 3 }).client.get('7').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayUnavailableError);
    expect(error).toMatchObject({ attempts: 3, status: 503, cause: { code: 'DATABASE_UNAVAILABLE' } });
    expect(requests).toHaveLength(3);
  });

  it('gives up rather than wait past its deadline', async () => {
    const { fetch, requests } = scriptedFetch(
      problem(503, 'DATABASE_UNAVAILABLE', {}, { 'Retry-After': '4' }),
      problem(503, 'DATABASE_UNAVAILABLE', {}, { 'Retry-After': '4' }),
      problem(503, 'DATABASE_UNAVAILABLE', {}, { 'Retry-After': '4' }),
    );
    const { client, clock } = clientWith(fetch, { deadlineMs: 10_000, maxAttempts: 10 });
    await expect(client.submit(submission)).rejects.toMatchObject({ name: 'GatewayUnavailableError', attempts: 3 });
    expect(clock.sleeps).toEqual([4000, 4000]);
    expect(requests).toHaveLength(3);
  });

  it('times an attempt out and retries it', async () => {
    const { fetch, requests } = scriptedFetch('hang', json(201, jobBody()));
    const client = new GhibliClient({ baseUrl: 'http://gw', fetch, requestTimeoutMs: 20, retry: { baseDelayMs: 1 } });
    await expect(client.submit(submission)).resolves.toMatchObject({ job: { id: '7' } });
    expect(requests).toHaveLength(2);
  });

  it('retries a control command only when the gateway cannot have acted on it', async () => {
    const refused = scriptedFetch(connectionRefused(), json(200, jobBody({ status: 'ABORTED' })));
    await expect(clientWith(refused.fetch).client.abort('7')).resolves.toMatchObject({ status: 'ABORTED' });
    const reset = scriptedFetch(connectionReset());
    await expect(clientWith(reset.fetch).client.abort('7')).rejects.toThrow('fetch failed');
    expect(reset.requests).toHaveLength(1);
    expect(isRetryableStatus(504, 'unprocessed')).toBe(false);
    expect(isRetryableStatus(503, 'unprocessed')).toBe(true);
  });

  it('stops at once when the caller aborts, waits included', async () => {
    const { fetch } = scriptedFetch(problem(503, 'DATABASE_UNAVAILABLE', {}, { 'Retry-After': '30' }));
    const client = new GhibliClient({ baseUrl: 'http://gw', fetch });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stopping')), 20);
    await expect(client.get('7', { signal: controller.signal })).rejects.toThrow('stopping');
  });
});
