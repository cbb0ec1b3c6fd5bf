import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError, GatewayUnreachableError, LeaseLostError } from './errors';
import { GatewayClient } from './gateway-client';
import { FakeGateway, problem } from './testing/fake-gateway';

const claimOne = { workerId: 'w1', queues: ['default'], maxJobs: 1, leaseSeconds: 30, waitSeconds: 0 };
const fastRetries = { baseDelayMs: 1, maxDelayMs: 50 };

describe('GatewayClient', () => {
  let gateway: FakeGateway;
  let client: GatewayClient;

  beforeEach(async () => {
    gateway = await FakeGateway.start();
    client = new GatewayClient({ baseUrl: gateway.baseUrl, headers: { 'X-API-Key': 'secret' }, backoff: fastRetries });
  });

  afterEach(async () => {
    await gateway.close();
  });

  it('claims a leased job, sending the caller headers and JSON', async () => {
    const job = gateway.addJob({ actionVariables: { orderId: 7 } });
    const { jobs } = await client.claim(claimOne);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ id: job.id, actionVariables: { orderId: 7 }, execution: { number: 1 } });
    expect(jobs[0].lease.token).toEqual(expect.any(String));
    const [request] = gateway.requestsOf('claim');
    expect(request.headers['x-api-key']).toBe('secret');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual(claimOne);
  });

  it('retries a 503 after the Retry-After the gateway asked for', async () => {
    gateway.addJob();
    gateway.answerNext('claim', {
      status: 503,
      body: problem(503, 'DATABASE_UNAVAILABLE', 'down'),
      headers: { 'Retry-After': '0' },
    });
    const { jobs } = await client.claim(claimOne);
    expect(jobs).toHaveLength(1);
    expect(gateway.requestsOf('claim')).toHaveLength(2);
  });

  it('retries 429 and 500 with backoff, then gives up with the last error', async () => {
    const twoAttempts = new GatewayClient({ baseUrl: gateway.baseUrl, maxAttempts: 2, backoff: fastRetries });
    gateway.answerNext('claim', { status: 429, body: problem(429, 'RATE_LIMITED', 'slow down') });
    gateway.answerNext('claim', { status: 500, body: problem(500, 'INTERNAL_ERROR', 'oops') });
    const error = await twoAttempts.claim(claimOne).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', detail: 'oops' });
    expect(gateway.requestsOf('claim')).toHaveLength(2);
  });

  it('does not wait longer than maxDelayMs for a Retry-After: it gives up instead', async () => {
    gateway.answerNext('claim', {
      status: 503,
      body: problem(503, 'DATABASE_UNAVAILABLE', 'down'),
      headers: { 'Retry-After': '60' },
    });
    await expect(client.claim(claimOne)).rejects.toMatchObject({ status: 503 });
    expect(gateway.requestsOf('claim')).toHaveLength(1);
  });

  it('does not retry a 400 and exposes its problem details', async () => {
    gateway.answerNext('heartbeat', { status: 400, body: problem(400, 'VALIDATION_FAILED', 'progress must be 0-100') });
    const error = await client.heartbeat('1', { leaseToken: 't', progress: 500 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).not.toBeInstanceOf(LeaseLostError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'progress must be 0-100' });
    expect(gateway.requestsOf('heartbeat')).toHaveLength(1);
  });

  it('turns 409 LEASE_LOST into a LeaseLostError', async () => {
    const job = gateway.addJob();
    await client.claim(claimOne);
    await expect(client.complete(job.id, { leaseToken: 'not-ours' })).rejects.toBeInstanceOf(LeaseLostError);
    expect(gateway.job(job.id).status).toBe('RUNNING');
  });

  it('gives an error status without problem details a code of its own', async () => {
    gateway.answerNext('fail', { status: 404 });
    await expect(client.fail('1', { leaseToken: 't', error: 'x', retryable: true })).rejects.toMatchObject({
      status: 404,
      code: 'HTTP_404',
    });
  });

  it('times an attempt out and retries it', async () => {
    const impatient = new GatewayClient({ baseUrl: gateway.baseUrl, requestTimeoutMs: 100, backoff: fastRetries });
    const job = gateway.addJob();
    const { jobs } = await impatient.claim(claimOne);
    gateway.answerNext('heartbeat', 'hang');
    const answer = await impatient.heartbeat(job.id, { leaseToken: jobs[0].lease.token });
    expect(answer.abortRequested).toBe(false);
    expect(gateway.requestsOf('heartbeat')).toHaveLength(2);
  });

  it('reports a gateway it cannot reach after its attempts', async () => {
    const url = gateway.baseUrl;
    await gateway.close();
    const unreachable = new GatewayClient({ baseUrl: url, maxAttempts: 2, backoff: fastRetries });
    await expect(unreachable.claim(claimOne)).rejects.toBeInstanceOf(GatewayUnreachableError);
    gateway = await FakeGateway.start();
  });

  it('stops at once, without retrying, when the caller aborts', async () => {
    const controller = new AbortController();
    const longPoll = client.claim({ ...claimOne, waitSeconds: 30 }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stopping')), 50);
    await expect(longPoll).rejects.toThrow('stopping');
    expect(gateway.requestsOf('claim')).toHaveLength(1);
  });
});
