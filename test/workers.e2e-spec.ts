import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseReaper } from '../src/workers/lease-reaper';
import { asAdmin, Headers, withRoles } from './setup/auth';
import { actionInQueue, contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { expectProblem } from './setup/problem';
import { claim, expireLease, makeReady, workerCall } from './setup/workers';

const TEMPLATE = { id: '1', name: 'w', revision: '1' };

describe('workers: claim, lease, heartbeat, complete, fail, logs', () => {
  let t: TestApp;
  let admin: Headers;
  let worker: Headers;
  let queue = 0;

  beforeAll(async () => {
    t = await createTestApp({ env: { REAPER_INTERVAL_MS: '0' } });
    admin = await withRoles('submitter', ['Administrators']);
    worker = await withRoles('worker-1', ['Workers']);
  });

  afterAll(async () => {
    await t.close();
  });

  /** A fresh queue with one action, so tests do not see each other's jobs. */
  const freshQueue = (action: Record<string, unknown> = {}) => actionInQueue(t, `q${++queue}`, admin, action);

  const job = async (id: string) => (await request(t.server).get(t.path(`/job-manager/jobs/${id}`)).set(admin).expect(200)).body;
  const executions = async (id: string) =>
    (await request(t.server).get(t.path(`/job-manager/jobs/${id}/executions`)).set(admin).expect(200)).body.executions;

  it('hands out jobs by priority, then oldest, and marks them RUNNING with a lease and an execution', async () => {
    const q = await freshQueue();
    const low = await q.add();
    await putContract(t, `c-${q.name}`, contractBody({ actions: [{ name: 'run', queue: q.name, workflowTemplate: TEMPLATE, priority: 9 }] }));
    const high = await q.add();
    const highLater = await q.add();
    const claimed = await claim(t, worker, { queues: [q.name], maxJobs: 10, leaseSeconds: 30 });
    expect(claimed.map((entry) => entry.id)).toEqual([high.id, highLater.id, low.id]);
    expect(claimed[0]).toMatchObject({ status: 'RUNNING', attempts: 1, execution: { number: 1 } });
    expect(claimed[0].lease.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(claimed[0].lease.expiresAt)).toBeGreaterThan(Date.now());
    expect(await executions(high.id)).toEqual([
      { number: 1, workerId: 'test-worker', startedAt: expect.any(String), endedAt: null, status: 'RUNNING', error: null },
    ]);
    expect(await claim(t, worker, { queues: [q.name] })).toEqual([]);
  });

  it('extends the lease on heartbeat, records progress and message, and completes with a result', async () => {
    const q = await freshQueue();
    const submitted = await q.add();
    const [claimed] = await claim(t, worker, { queues: [q.name], leaseSeconds: 10 });
    const beat = await workerCall(t, worker, claimed.id, 'heartbeat', { leaseToken: claimed.lease.token, progress: 42.4, message: 'half way' }).expect(200);
    expect(beat.body.abortRequested).toBe(false);
    expect(Date.parse(beat.body.leaseExpiresAt)).toBeGreaterThanOrEqual(Date.parse(claimed.lease.expiresAt));
    expect(await job(submitted.id)).toMatchObject({ progress: 42, statusMessage: 'half way' });
    const done = await workerCall(t, worker, claimed.id, 'complete', { leaseToken: claimed.lease.token, result: { rows: 7 } }).expect(200);
    expect(done.body).toMatchObject({ status: 'COMPLETED', result: { rows: 7 }, progress: 100 });
    expect(done.body.finishedAt).not.toBeNull();
    expect((await executions(submitted.id))[0]).toMatchObject({ status: 'COMPLETED', endedAt: expect.any(String) });
    expectProblem(await workerCall(t, worker, claimed.id, 'complete', { leaseToken: claimed.lease.token }), 409, 'LEASE_LOST');
  });

  it('refuses a stale or foreign lease token on every worker call', async () => {
    const q = await freshQueue();
    await q.add();
    const [claimed] = await claim(t, worker, { queues: [q.name] });
    const foreign = '00000000-0000-4000-8000-000000000000';
    for (const [action, body] of [
      ['heartbeat', {}],
      ['complete', {}],
      ['fail', { error: 'x' }],
      ['logs', { lines: [{ message: 'x' }] }],
    ] as const) {
      expectProblem(await workerCall(t, worker, claimed.id, action, { leaseToken: foreign, ...body }), 409, 'LEASE_LOST');
    }
    expect((await job(claimed.id)).status).toBe('RUNNING');
  });

  it('retries a failed execution after a backoff, then ends in ERROR when attempts are spent', async () => {
    const q = await freshQueue({ maxAttempts: 2 });
    const submitted = await q.add();
    const [first] = await claim(t, worker, { queues: [q.name] });
    const failed = await workerCall(t, worker, first.id, 'fail', { leaseToken: first.lease.token, error: 'disk full', retryable: true }).expect(200);
    expect(failed.body).toMatchObject({ status: 'SUBMITTED', attempts: 1 });
    expect(failed.body.statusMessage).toMatch(/attempt 1 of 2 failed, retrying: disk full/);
    expect(await claim(t, worker, { queues: [q.name] })).toEqual([]);
    await makeReady(t, submitted.id);
    const [second] = await claim(t, worker, { queues: [q.name] });
    expect(second).toMatchObject({ attempts: 2, execution: { number: 2 } });
    expect(second.lease.token).not.toBe(first.lease.token);
    const last = await workerCall(t, worker, second.id, 'fail', { leaseToken: second.lease.token, error: 'disk still full' }).expect(200);
    expect(last.body).toMatchObject({ status: 'ERROR', attempts: 2 });
    expect((await executions(submitted.id)).map((execution: { status: string; error: string }) => [execution.status, execution.error])).toEqual([
      ['FAILED', 'disk full'],
      ['FAILED', 'disk still full'],
    ]);
  });

  it('ends in ERROR at once on a non-retryable failure', async () => {
    const q = await freshQueue({ maxAttempts: 5 });
    await q.add();
    const [claimed] = await claim(t, worker, { queues: [q.name] });
    const failed = await workerCall(t, worker, claimed.id, 'fail', { leaseToken: claimed.lease.token, error: 'bad input', retryable: false });
    expect(failed.body).toMatchObject({ status: 'ERROR', attempts: 1 });
  });

  it('returns a job whose lease expired to the queue, and the old holder loses it', async () => {
    const q = await freshQueue({ maxAttempts: 2 });
    const submitted = await q.add();
    const [first] = await claim(t, worker, { queues: [q.name] });
    await expireLease(t, first.id);
    expectProblem(await workerCall(t, worker, first.id, 'heartbeat', { leaseToken: first.lease.token }), 409, 'LEASE_LOST');
    expect(await t.app.get(LeaseReaper).sweep()).toBeGreaterThanOrEqual(1);
    expect((await job(submitted.id)).status).toBe('SUBMITTED');
    const [second] = await claim(t, await withRoles('worker-2', ['Workers']), { queues: [q.name], workerId: 'second' });
    expect(second.attempts).toBe(2);
    expectProblem(await workerCall(t, worker, first.id, 'complete', { leaseToken: first.lease.token }), 409, 'LEASE_LOST');
    await expireLease(t, second.id);
    await t.app.get(LeaseReaper).sweep();
    const ended = await job(submitted.id);
    expect(ended.status).toBe('ERROR');
    expect(ended.statusMessage).toMatch(/lease expired/);
    expect((await executions(submitted.id)).map((execution: { status: string }) => execution.status)).toEqual(['EXPIRED', 'EXPIRED']);
  });

  it('bounds an execution by the action timeout: heartbeats cannot extend the lease past it', async () => {
    const q = await freshQueue({ timeoutSeconds: 1, maxAttempts: 1 });
    const submitted = await q.add();
    const [claimed] = await claim(t, worker, { queues: [q.name], leaseSeconds: 600 });
    expect(Date.parse(claimed.lease.expiresAt) - Date.now()).toBeLessThanOrEqual(1500);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expectProblem(await workerCall(t, worker, claimed.id, 'heartbeat', { leaseToken: claimed.lease.token }), 409, 'LEASE_LOST');
    await t.app.get(LeaseReaper).sweep();
    const ended = await job(submitted.id);
    expect(ended).toMatchObject({ status: 'ERROR' });
    expect(ended.statusMessage).toMatch(/timed out after 1s/);
  });

  it('aborts a running job through the heartbeat: requested (202), seen by the worker, then ABORTED', async () => {
    const q = await freshQueue();
    const submitted = await q.add();
    const [claimed] = await claim(t, worker, { queues: [q.name] });
    const requested = await request(t.server).post(t.path(`/job-manager/jobs/${submitted.id}/abort`)).set(admin).expect(202);
    expect(requested.body).toMatchObject({ status: 'RUNNING', abortRequested: true });
    const beat = await workerCall(t, worker, claimed.id, 'heartbeat', { leaseToken: claimed.lease.token }).expect(200);
    expect(beat.body.abortRequested).toBe(true);
    const ended = await workerCall(t, worker, claimed.id, 'fail', { leaseToken: claimed.lease.token, error: 'aborted' }).expect(200);
    expect(ended.body.status).toBe('ABORTED');
  });

  it('ends ABORTED when the lease of a job with a requested abort expires', async () => {
    const q = await freshQueue();
    const submitted = await q.add();
    await claim(t, worker, { queues: [q.name] });
    await request(t.server).post(t.path(`/job-manager/jobs/${submitted.id}/abort`)).set(admin).expect(202);
    await expireLease(t, submitted.id);
    await t.app.get(LeaseReaper).sweep();
    expect((await job(submitted.id)).status).toBe('ABORTED');
  });

  it('appends log lines to the current execution and pages them', async () => {
    const q = await freshQueue();
    await q.add();
    const [claimed] = await claim(t, worker, { queues: [q.name] });
    const lines = Array.from({ length: 25 }, (_, index) => ({ message: `step ${index}`, level: index % 5 === 0 ? 'warn' : 'info' }));
    const appended = await workerCall(t, worker, claimed.id, 'logs', { leaseToken: claimed.lease.token, lines }).expect(200);
    expect(appended.body).toEqual({ appended: 25 });
    expectProblem(
      await workerCall(t, worker, claimed.id, 'logs', { leaseToken: claimed.lease.token, lines: Array.from({ length: 101 }, () => ({ message: 'x' })) }),
      400,
      'VALIDATION_FAILED',
    );
    const messages: string[] = [];
    let next: string | undefined = t.path(`/job-manager/jobs/${claimed.id}/logs?maxItems=10`);
    while (next) {
      const page: Response = await request(t.server).get(next).set(admin).expect(200);
      expect(page.body.lines.every((line: { execution: number }) => line.execution === 1)).toBe(true);
      messages.push(...page.body.lines.map((line: { message: string }) => line.message));
      next = page.body.next;
    }
    expect(messages).toEqual(lines.map((line) => line.message));
  });

  it('long-polls: a claim that waits receives a job submitted meanwhile', async () => {
    const q = await freshQueue();
    const waiting = claim(t, worker, { queues: [q.name], waitSeconds: 10 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const submitted = await q.add();
    const claimed = await waiting;
    expect(claimed.map((entry) => entry.id)).toEqual([submitted.id]);
  });

  it('claims nothing for a long-poll whose client hung up: the job stays SUBMITTED for the next worker', async () => {
    const q = await freshQueue();
    const base = await t.listen();
    const hangUp = new AbortController();
    const gone = fetch(`${base}/job-manager/workers/claim`, {
      method: 'POST',
      headers: { ...worker, 'content-type': 'application/json' },
      body: JSON.stringify({ workerId: 'gone', queues: [q.name], waitSeconds: 10 }),
      signal: hangUp.signal,
    }).catch((error: Error) => error.name);
    await new Promise((resolve) => setTimeout(resolve, 300));
    hangUp.abort();
    expect(await gone).toBe('AbortError');
    await new Promise((resolve) => setTimeout(resolve, 700));
    const submitted = await q.add();
    // Past the hung-up poll's next 500 ms turn: had it kept polling, it would hold the job by now.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const job = await request(t.server).get(t.path(`/job-manager/jobs/${submitted.id}`)).set(asAdmin()).expect(200);
    expect(job.body.status).toBe('SUBMITTED');
    expect((await claim(t, worker, { queues: [q.name] })).map((entry) => entry.id)).toEqual([submitted.id]);
  });

  it('validates claims and refuses callers without WORKER', async () => {
    for (const body of [{ queues: [] }, { queues: ['a'], maxJobs: 101 }, { queues: ['a'], waitSeconds: 31 }, { queues: ['a'], leaseSeconds: 1 }]) {
      expectProblem(
        await request(t.server).post(t.path('/job-manager/workers/claim')).set(worker).send({ workerId: 'w', ...body }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expectProblem(
      await request(t.server).post(t.path('/job-manager/workers/claim')).set(await withRoles('user', ['Users'])).send({ workerId: 'w', queues: ['a'] }),
      403,
      'FORBIDDEN',
    );
  });
});
