import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, Headers, withRoles } from './setup/auth';
import { actionInQueue } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { startInstances, type Instances } from './setup/instances';
import { expectProblem } from './setup/problem';
import { claim, workerCall } from './setup/workers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('waiting for a job: GET /job-manager/jobs/{id}?waitSeconds=N', () => {
  let t: TestApp;
  let worker: Headers;
  let queue = 0;

  beforeAll(async () => {
    t = await createTestApp({ env: { JOB_WAIT_MAX_WAITERS: '2' } });
    worker = await withRoles('wait-worker', ['Workers']);
  });

  afterAll(async () => {
    await t.close();
  });

  const freshQueue = () => actionInQueue(t, `wait-${++queue}`, asAdmin());
  const wait = (id: string, seconds: number | string, headers: Headers = asAdmin()) =>
    request(t.server).get(t.path(`/job-manager/jobs/${id}`)).query({ waitSeconds: seconds }).set(headers);

  it('answers a finished job at once', async () => {
    const q = await freshQueue();
    const job = await q.add();
    await request(t.server).post(t.path(`/job-manager/jobs/${job.id}/abort`)).set(asAdmin()).expect(200);
    const started = Date.now();
    const answer = await wait(job.id, 30).expect(200);
    expect(answer.body.status).toBe('ABORTED');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('answers as soon as the job completes, well before the wait is over', async () => {
    const q = await freshQueue();
    const job = await q.add();
    const waiting = wait(job.id, 30).then((response) => ({ response, at: Date.now() }));
    await sleep(200);
    const [claimed] = await claim(t, worker, { queues: [q.name] });
    const completedAt = Date.now();
    await workerCall(t, worker, job.id, 'complete', { leaseToken: claimed.lease.token, result: { ok: true } }).expect(200);
    const { response, at } = await waiting;
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: job.id, status: 'COMPLETED', result: { ok: true } });
    // Woken by the completion, not by the 30 s bound.
    expect(at - completedAt).toBeLessThan(20_000);
  });

  it('answers the job as it is when the wait is over', async () => {
    const q = await freshQueue();
    const job = await q.add();
    const started = Date.now();
    const answer = await wait(job.id, 1).expect(200);
    expect(answer.body.status).toBe('SUBMITTED');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('refuses waiters past the bound with 429 TOO_MANY_WAITERS and Retry-After', async () => {
    const q = await freshQueue();
    const job = await q.add();
    const held = [wait(job.id, 2), wait(job.id, 2)].map((call) => call.then((response) => response.status));
    await sleep(300);
    const refused = await wait(job.id, 2);
    expectProblem(refused, 429, 'TOO_MANY_WAITERS');
    expect(refused.headers['retry-after']).toBe('1');
    expect(await Promise.all(held)).toEqual([200, 200]);
    await wait(job.id, 0).expect(200);
  });

  it('validates waitSeconds at the edge and hides other users\' jobs', async () => {
    const q = await freshQueue();
    const job = await q.add();
    for (const bad of ['61', '-1', 'soon', '1.5']) expectProblem(await wait(job.id, bad), 400, 'VALIDATION_FAILED');
    expectProblem(await wait(job.id, 5, await withRoles('mallory', ['Integrations'])), 404, 'JOB_NOT_FOUND');
  });
});

describe('waiting across gateway instances', () => {
  let instances: Instances;
  let worker: Headers;

  beforeAll(async () => {
    instances = await startInstances(2, { JOB_WAIT_POLL_MS: '200' });
    worker = await withRoles('wait-worker-2', ['Workers']);
  });

  afterAll(async () => {
    await instances.close();
  });

  it('wakes a waiter on one instance when another instance completes the job', async () => {
    const [a, b] = instances.apps;
    const q = await actionInQueue(a, 'wait-cross', asAdmin());
    const job = await q.add();
    const waiting = request(a.server).get(a.path(`/job-manager/jobs/${job.id}`)).query({ waitSeconds: 30 }).set(asAdmin()).then((response) => ({ response, at: Date.now() }));
    await sleep(200);
    const [claimed] = await claim(b, worker, { queues: [q.name] });
    const completedAt = Date.now();
    await workerCall(b, worker, job.id, 'complete', { leaseToken: claimed.lease.token }).expect(200);
    const { response, at } = await waiting;
    expect(response.body.status).toBe('COMPLETED');
    expect(at - completedAt).toBeLessThan(20_000);
  });
});
