import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, Headers, withRoles } from './setup/auth';
import { actionInQueue } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { startInstances, type Instances } from './setup/instances';
import { expectProblem } from './setup/problem';
import { claim, type ClaimedJob, workerCall } from './setup/workers';

describe('complete and fail with claimNext: one round trip per job', () => {
  let t: TestApp;
  let worker: Headers;
  let queue = 0;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await withRoles('next-worker', ['Workers']);
  });

  afterAll(async () => {
    await t.close();
  });

  const freshQueue = () => actionInQueue(t, `next-${++queue}`, asAdmin(), { maxAttempts: 1 });

  it('completes the job and answers the next claim, leased to the same worker', async () => {
    const q = await freshQueue();
    const first = await q.add();
    const second = await q.add();
    const [held] = await claim(t, worker, { workerId: 'w-next', queues: [q.name] });
    expect(held.id).toBe(first.id);
    const answer = await workerCall(t, worker, first.id, 'complete', {
      leaseToken: held.lease.token,
      result: { ok: 1 },
      claimNext: { queues: [q.name], maxJobs: 5, leaseSeconds: 30 },
    }).expect(200);
    expect(answer.body).toMatchObject({ id: first.id, status: 'COMPLETED', result: { ok: 1 } });
    expect(answer.body.claimed).toHaveLength(1);
    const next = answer.body.claimed[0] as ClaimedJob;
    expect(next).toMatchObject({ id: second.id, status: 'RUNNING', execution: { number: 1 } });
    const executions = await request(t.server).get(t.path(`/job-manager/jobs/${second.id}/executions`)).set(asAdmin()).expect(200);
    expect(executions.body.executions).toEqual([expect.objectContaining({ number: 1, workerId: 'w-next', status: 'RUNNING' })]);
    await workerCall(t, worker, second.id, 'heartbeat', { leaseToken: next.lease.token }).expect(200);
    const empty = await workerCall(t, worker, second.id, 'fail', { leaseToken: next.lease.token, error: 'no', claimNext: { queues: [q.name] } }).expect(200);
    expect(empty.body).toMatchObject({ id: second.id, status: 'ERROR', claimed: [] });
  });

  it('answers without `claimed` when not asked, and claims nothing when the lease is lost', async () => {
    const q = await freshQueue();
    const job = await q.add();
    const waiting = await q.add();
    const [held] = await claim(t, worker, { queues: [q.name] });
    const plain = await workerCall(t, worker, job.id, 'complete', { leaseToken: held.lease.token }).expect(200);
    expect(plain.body).not.toHaveProperty('claimed');
    const lost = await workerCall(t, worker, job.id, 'complete', { leaseToken: held.lease.token, claimNext: { queues: [q.name] } });
    expectProblem(lost, 409, 'LEASE_LOST');
    const still = await request(t.server).get(t.path(`/job-manager/jobs/${waiting.id}`)).set(asAdmin()).expect(200);
    expect(still.body.status).toBe('SUBMITTED');
  });

  it('validates claimNext at the edge', async () => {
    const q = await freshQueue();
    const job = await q.add();
    const [held] = await claim(t, worker, { queues: [q.name] });
    for (const claimNext of [{}, { queues: [] }, { queues: [q.name], maxJobs: 0 }, { queues: [q.name], leaseSeconds: 1 }, 'x']) {
      expectProblem(await workerCall(t, worker, job.id, 'complete', { leaseToken: held.lease.token, claimNext }), 400, 'VALIDATION_FAILED');
    }
  });
});

describe('claimNext against the claim rate limit', () => {
  it('counts as a claim: with the budget spent the job still completes and nothing is claimed, and the next claim answers 429', async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_CLAIM_PER_SECOND: '1', RATE_LIMIT_CLAIM_BURST: '2' } });
    try {
      const worker = await withRoles('thrifty-worker', ['Workers']);
      const q = await actionInQueue(limited, 'limited', asAdmin(), { maxAttempts: 1 });
      const [first, second, third] = [await q.add(), await q.add(), await q.add()];
      const [held] = await claim(limited, worker, { queues: [q.name] });
      expect(held.id).toBe(first.id);
      // The second token of the burst pays for this claimNext; the next token comes a second after the first claim.
      const paid = await workerCall(limited, worker, first.id, 'complete', { leaseToken: held.lease.token, claimNext: { queues: [q.name] } }).expect(200);
      expect(paid.body.claimed).toMatchObject([{ id: second.id }]);
      const spent = await workerCall(limited, worker, second.id, 'complete', { leaseToken: paid.body.claimed[0].lease.token, claimNext: { queues: [q.name] } }).expect(200);
      expect(spent.body).toMatchObject({ id: second.id, status: 'COMPLETED', claimed: [] });
      const refused = await request(limited.server).post(limited.path('/job-manager/workers/claim')).set(worker).send({ workerId: 'w', queues: [q.name] });
      expectProblem(refused, 429, 'RATE_LIMITED');
      expect((await request(limited.server).get(limited.path(`/job-manager/jobs/${third.id}`)).set(asAdmin()).expect(200)).body.status).toBe('SUBMITTED');
    } finally {
      await limited.close();
    }
  });
});

describe('complete-and-claim loops on two instances', () => {
  let instances: Instances;
  let worker: Headers;

  beforeAll(async () => {
    instances = await startInstances(2);
    worker = await withRoles('loop-worker', ['Workers']);
  });

  afterAll(async () => {
    await instances.close();
  });

  it('hands every job out once: 4 workers, each completing and claiming the next in one call', async () => {
    const [a] = instances.apps;
    const q = await actionInQueue(a, 'next-loop', asAdmin());
    const ids = new Set<string>();
    for (let index = 0; index < 40; index++) ids.add((await q.add()).id);
    const completed: string[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async (n) => {
        const app = instances.apps[n % 2];
        let held: ClaimedJob[] = await claim(app, worker, { workerId: `loop-${n}`, queues: [q.name], maxJobs: 1 });
        while (held.length > 0) {
          const [job] = held;
          const answer = await workerCall(app, worker, job.id, 'complete', { leaseToken: job.lease.token, claimNext: { queues: [q.name] } }).expect(200);
          completed.push(job.id);
          held = answer.body.claimed;
        }
      }),
    );
    expect(completed.sort()).toEqual([...ids].sort());
  });
});
