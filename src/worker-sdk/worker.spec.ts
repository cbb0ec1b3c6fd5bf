import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NonRetryableError } from './errors';
import { GatewayClient } from './gateway-client';
import { JobHandler } from './job-handler';
import { WorkerLogger } from './logger';
import { FakeGateway, problem, waitUntil } from './testing/fake-gateway';
import { GatewayWorker } from './worker';
import { GatewayWorkerOptions } from './worker-options';

type LogMethod = (message: string, ...details: unknown[]) => void;

function quietLogger() {
  return { info: vi.fn<LogMethod>(), warn: vi.fn<LogMethod>(), error: vi.fn<LogMethod>() } satisfies WorkerLogger;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

describe('GatewayWorker', () => {
  let gateway: FakeGateway;
  let workers: GatewayWorker[];
  let logger: ReturnType<typeof quietLogger>;

  beforeEach(async () => {
    gateway = await FakeGateway.start();
    workers = [];
    logger = quietLogger();
  });

  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.stop({ timeoutMs: 500 })));
    await gateway.close();
  });

  function startWorker(handler: JobHandler, options: Partial<GatewayWorkerOptions> = {}): GatewayWorker {
    const worker = new GatewayWorker({
      baseUrl: gateway.baseUrl,
      headers: { Authorization: 'Bearer worker-token' },
      workerId: 'worker-1',
      queues: ['default'],
      waitSeconds: 1,
      heartbeatEverySeconds: 0.05,
      handler,
      logger,
      ...options,
    } as GatewayWorkerOptions);
    workers.push(worker);
    worker.start();
    return worker;
  }

  it('claims, heartbeats with progress, sends the logs, then completes with the result', async () => {
    const job = gateway.addJob({ actionVariables: { orderId: 42 } });
    startWorker(async (claimed, context) => {
      context.log('importing');
      context.progress(50, 'half way');
      await delay(150);
      context.log('done', 'debug');
      return { imported: claimed.actionVariables.orderId };
    });

    await waitUntil(() => gateway.job(job.id).status === 'COMPLETED', 'the job to complete');
    expect(gateway.job(job.id).result).toEqual({ imported: 42 });
    expect(gateway.job(job.id).logs).toEqual([
      { message: 'importing', level: 'info' },
      { message: 'done', level: 'debug' },
    ]);
    const heartbeats = gateway.requestsOf('heartbeat', job.id);
    expect(heartbeats.length).toBeGreaterThanOrEqual(1);
    expect(heartbeats[0].body).toMatchObject({ progress: 50, message: 'half way' });
    expect(heartbeats.slice(1).every((heartbeat) => heartbeat.body.progress === undefined)).toBe(true);
    expect(gateway.requests.every((request) => request.headers.authorization === 'Bearer worker-token')).toBe(true);
    const calls = gateway.requests.filter((request) => request.jobId === job.id).map((request) => request.call);
    expect(calls.lastIndexOf('logs')).toBeLessThan(calls.indexOf('complete'));
    expect(gateway.requestsOf('claim')[0].body).toMatchObject({ workerId: 'worker-1', maxJobs: 1, leaseSeconds: 60 });
  });

  it('fails a job whose handler throws as retryable, and the retry can succeed', async () => {
    const job = gateway.addJob({ maxAttempts: 2 });
    let runs = 0;
    startWorker(async () => {
      runs++;
      if (runs === 1) throw new Error('database busy');
      return 'second time lucky';
    });

    await waitUntil(() => gateway.job(job.id).status === 'COMPLETED', 'the retried job to complete');
    expect(gateway.requestsOf('fail', job.id).map((request) => request.body)).toEqual([
      expect.objectContaining({ error: 'database busy', retryable: true }),
    ]);
    expect(gateway.job(job.id).attempts).toBe(2);
  });

  it('fails a NonRetryableError as not retryable', async () => {
    const job = gateway.addJob({ maxAttempts: 5 });
    startWorker(async () => {
      throw new NonRetryableError('order 42 does not exist');
    });

    await waitUntil(() => gateway.job(job.id).status === 'ERROR', 'the job to end in ERROR');
    expect(gateway.requestsOf('fail', job.id)[0].body).toMatchObject({
      error: 'order 42 does not exist',
      retryable: false,
    });
    expect(gateway.job(job.id).attempts).toBe(1);
  });

  it('aborts the signal when a heartbeat says an abort was requested, and fails the job as aborted', async () => {
    const job = gateway.addJob();
    let started = false;
    startWorker(async (_job, context) => {
      started = true;
      await delay(5_000, context.signal);
    });

    await waitUntil(() => started, 'the handler to start');
    gateway.requestAbort(job.id);
    await waitUntil(() => gateway.job(job.id).status === 'ABORTED', 'the job to be aborted');
    expect(gateway.requestsOf('fail', job.id)[0].body).toMatchObject({ error: 'aborted', retryable: false });
  });

  it('drops a job whose lease is lost: the handler is aborted and nothing is reported', async () => {
    const job = gateway.addJob();
    let signal: AbortSignal | undefined;
    startWorker(async (_job, context) => {
      signal = context.signal;
      await delay(300);
      context.log('too late');
      return 'result nobody will see';
    });

    await waitUntil(() => signal !== undefined, 'the handler to start');
    gateway.loseLease(job.id);
    await waitUntil(() => signal?.aborted === true, 'the signal to be aborted');
    await waitUntil(() => logger.warn.mock.calls.length > 0, 'the lost lease to be logged');
    expect(logger.warn.mock.calls[0][0]).toMatch(/lease lost/);
    expect(gateway.requestsOf('complete')).toHaveLength(0);
    expect(gateway.requestsOf('fail')).toHaveLength(0);
    expect(gateway.requestsOf('logs')).toHaveLength(0);
  });

  it('sends many log lines in batches of at most 100, all before the outcome', async () => {
    const job = gateway.addJob();
    startWorker(async (_job, context) => {
      for (let line = 1; line <= 250; line++) context.log(`line ${line}`);
    });

    await waitUntil(() => gateway.job(job.id).status === 'COMPLETED', 'the job to complete');
    expect(gateway.job(job.id).logs.map((line) => line.message)).toEqual(
      Array.from({ length: 250 }, (_, index) => `line ${index + 1}`),
    );
    expect(gateway.requestsOf('logs').every((request) => (request.body.lines as unknown[]).length <= 100)).toBe(true);
  });

  it('fails the job, not retryable, when the gateway refuses its result', async () => {
    const job = gateway.addJob();
    gateway.answerNext('complete', { status: 413, body: problem(413, 'PAYLOAD_TOO_LARGE', 'result above 64 KiB') });
    startWorker(async () => 'x'.repeat(100));

    await waitUntil(() => gateway.job(job.id).status === 'ERROR', 'the job to end in ERROR');
    expect(gateway.requestsOf('fail', job.id)[0].body).toMatchObject({
      error: 'the gateway refused the result: result above 64 KiB',
      retryable: false,
    });
  });

  it('never runs more jobs at once than its concurrency', async () => {
    const jobs = Array.from({ length: 5 }, () => gateway.addJob());
    let running = 0;
    let mostAtOnce = 0;
    startWorker(
      async () => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await delay(60);
        running--;
      },
      { concurrency: 2 },
    );

    await waitUntil(() => jobs.every((job) => gateway.job(job.id).status === 'COMPLETED'), 'all jobs to complete');
    expect(mostAtOnce).toBe(2);
    expect(gateway.requestsOf('claim').every((request) => (request.body.maxJobs as number) <= 2)).toBe(true);
  });

  it('stop() stops claiming and resolves once the running job has completed', async () => {
    const job = gateway.addJob();
    let started = false;
    const worker = startWorker(async () => {
      started = true;
      await delay(200);
      return 'finished';
    });

    await waitUntil(() => started, 'the handler to start');
    const claimsBeforeStop = gateway.requestsOf('claim').length;
    await worker.stop();
    expect(gateway.job(job.id).status).toBe('COMPLETED');
    gateway.addJob();
    await delay(50);
    expect(gateway.requestsOf('claim').length).toBe(claimsBeforeStop);
  });

  it('stop() with a timeout aborts the jobs still running and hands them back for a retry', async () => {
    const job = gateway.addJob();
    let started = false;
    const worker = startWorker(async (_job, context) => {
      started = true;
      await delay(5_000, context.signal);
    });

    await waitUntil(() => started, 'the handler to start');
    await worker.stop({ timeoutMs: 50 });
    expect(gateway.requestsOf('fail', job.id)[0].body).toMatchObject({
      error: 'the worker stopped before the job finished',
      retryable: true,
    });
    expect(gateway.job(job.id).status).toBe('SUBMITTED');
  });

  it('keeps claiming after a claim is refused, and logs why', async () => {
    gateway.answerNext('claim', { status: 401, body: problem(401, 'UNAUTHENTICATED', 'bad key') });
    const job = gateway.addJob();
    startWorker(async () => 'ok', { client: new GatewayClient({ baseUrl: gateway.baseUrl }) });

    await waitUntil(() => gateway.job(job.id).status === 'COMPLETED', 'the job to complete');
    expect(logger.error.mock.calls[0][0]).toMatch(/claim failed/);
  });

  it('claims the next job with each outcome: one request per job once busy', async () => {
    const jobs = [gateway.addJob(), gateway.addJob(), gateway.addJob()];
    startWorker(async () => 'done');
    await waitUntil(() => jobs.every((job) => gateway.job(job.id).status === 'COMPLETED'), 'every job to complete');
    const calls = gateway.requests.filter((request) => request.call === 'claim' || request.call === 'complete');
    expect(calls.filter((request) => request.call === 'complete').map((request) => request.body.claimNext)).toEqual([
      { queues: ['default'], maxJobs: 1, leaseSeconds: 60 },
      { queues: ['default'], maxJobs: 1, leaseSeconds: 60 },
      { queues: ['default'], maxJobs: 1, leaseSeconds: 60 },
    ]);
    // The first claim found the first job; the two others came with the completions before it.
    expect(calls.slice(0, 4).map((request) => request.call)).toEqual(['claim', 'complete', 'complete', 'complete']);
  });

  it('claims only by the claim call with completeAndClaim: false', async () => {
    const jobs = [gateway.addJob(), gateway.addJob()];
    startWorker(async () => 'done', { completeAndClaim: false });
    await waitUntil(() => jobs.every((job) => gateway.job(job.id).status === 'COMPLETED'), 'every job to complete');
    expect(gateway.requests.filter((request) => request.call === 'complete').every((request) => request.body.claimNext === undefined)).toBe(true);
  });

  it('rejects settings the gateway would refuse', () => {
    const handler: JobHandler = async () => undefined;
    const base = { baseUrl: gateway.baseUrl, workerId: 'w', queues: ['default'], handler };
    expect(() => new GatewayWorker({ ...base, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => new GatewayWorker({ ...base, waitSeconds: 31 })).toThrow(/waitSeconds/);
    expect(() => new GatewayWorker({ ...base, leaseSeconds: 10, heartbeatEverySeconds: 10 })).toThrow(/heartbeat/);
    expect(() => new GatewayWorker({ ...base, queues: [] })).toThrow(/queues/);
  });
});
