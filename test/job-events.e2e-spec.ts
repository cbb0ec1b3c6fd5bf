import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JobPurgeRepository } from '../src/jobs';
import { JobTimelineRepository } from '../src/jobs/job-timeline.repository';
import { LeaseReaper } from '../src/workers/lease-reaper';
import { asAdmin, Headers, withRoles } from './setup/auth';
import { actionInQueue } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { expectProblem } from './setup/problem';
import { discardViolations } from './setup/conformance';
import { JobEntity } from '../src/jobs/job.entity';
import { claim, expireLease, makeReady, workerCall } from './setup/workers';

interface TimelineEvent {
  seq: string;
  type: string;
  at: string;
  actor: string;
  data: Record<string, unknown>;
}

describe('the job timeline: GET /job-manager/jobs/{id}/events', () => {
  let t: TestApp;
  let worker: Headers;
  let alice: Headers;
  let queue = 0;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await withRoles('timeline-worker', ['Workers']);
    alice = await withRoles('alice', ['Integrations']);
  });

  afterAll(async () => {
    await t.close();
  });

  const freshQueue = (action: Record<string, unknown> = {}) =>
    actionInQueue(t, `timeline-${++queue}`, asAdmin(), { maxAttempts: 2, variables: [{ name: 'n', type: 'integer' }], ...action });
  const events = async (id: string, headers: Headers = asAdmin()): Promise<TimelineEvent[]> =>
    (await request(t.server).get(t.path(`/job-manager/jobs/${id}/events`)).set(headers).expect(200)).body.events;
  const command = (id: string, name: string) => request(t.server).post(t.path(`/job-manager/jobs/${id}/${name}`)).set(asAdmin());

  it('records a submission, its replays, each claim and each ending, oldest first, with who did it', async () => {
    const q = await freshQueue();
    const job = await q.add({ extIPID: 'timeline-1', actionVariables: { n: 1 } });
    await submit(t, asAdmin(), { contractName: `c-${q.name}`, actionName: 'run', extIPID: 'timeline-1', actionVariables: { n: 1 } }).expect(409);
    await submit(t, asAdmin(), { contractName: `c-${q.name}`, actionName: 'run', extIPID: 'timeline-1', actionVariables: { n: 2 } }).expect(409);
    const [first] = await claim(t, worker, { workerId: 'w-1', queues: [q.name] });
    await workerCall(t, worker, job.id, 'fail', { leaseToken: first.lease.token, error: 'disk full' }).expect(200);
    await makeReady(t, job.id);
    const [second] = await claim(t, worker, { workerId: 'w-2', queues: [q.name] });
    await workerCall(t, worker, job.id, 'complete', { leaseToken: second.lease.token, result: { rows: 3 } }).expect(200);

    const timeline = await events(job.id);
    expect(timeline.map((event) => [event.type, event.actor])).toEqual([
      ['job.submitted', 'admin'],
      ['job.replayed', 'admin'],
      ['job.replayed', 'admin'],
      ['job.claimed', 'worker:w-1'],
      ['job.failed', 'worker:w-1'],
      ['job.claimed', 'worker:w-2'],
      ['job.completed', 'worker:w-2'],
    ]);
    expect(timeline[0].data).toMatchObject({ queue: q.name, extIPID: 'timeline-1' });
    expect(timeline[1].data).toMatchObject({ variablesEqual: true });
    expect(timeline[2].data).toMatchObject({ variablesEqual: false });
    expect(timeline[3].data).toEqual({ execution: 1, leaseSeconds: 60 });
    expect(timeline[4].data).toMatchObject({ execution: 1, retrying: true, error: 'disk full', status: 'SUBMITTED' });
    expect(timeline[6].data).toMatchObject({ execution: 2, status: 'COMPLETED' });
    const seqs = timeline.map((event) => BigInt(event.seq));
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
    for (const event of timeline) expect(Date.parse(event.at)).not.toBeNaN();
  });

  it('records control commands, a final failure, a lease expiry and an edit', async () => {
    const q = await freshQueue({ maxAttempts: 1 });
    const job = await q.add();
    await command(job.id, 'suspend').expect(200);
    await command(job.id, 'resume').expect(200);
    await request(t.server).patch(t.path(`/job-manager/jobs/${job.id}`)).set(asAdmin()).send({ name: 'nightly', tags: ['a'] }).expect(200);
    const [claimed] = await claim(t, worker, { workerId: 'w-3', queues: [q.name] });
    await command(job.id, 'abort').expect(202);
    await expireLease(t, job.id);
    expect(await t.app.get(LeaseReaper).sweep()).toBe(1);
    await command(job.id, 'restart').expect(200);
    const [again] = await claim(t, worker, { workerId: 'w-4', queues: [q.name] });
    await workerCall(t, worker, job.id, 'fail', { leaseToken: again.lease.token, error: 'bad input', retryable: false }).expect(200);
    expect(claimed.id).toBe(job.id);

    const timeline = await events(job.id);
    expect(timeline.map((event) => event.type)).toEqual([
      'job.submitted',
      'job.suspended',
      'job.resumed',
      'job.updated',
      'job.claimed',
      'job.abort_requested',
      'job.lease_expired',
      'job.restarted',
      'job.claimed',
      'job.failed',
    ]);
    expect(timeline[3].data).toEqual({ fields: ['name', 'tags'] });
    expect(timeline[6]).toMatchObject({ actor: 'system:lease-reaper', data: { status: 'ABORTED', workerId: 'w-3' } });
    expect(timeline[9].data).toMatchObject({ retrying: false, status: 'ERROR', error: 'bad input' });
  });

  it('pages with next links, and refuses a cursor of another job or of the logs', async () => {
    const q = await freshQueue();
    const job = await q.add();
    await command(job.id, 'suspend').expect(200);
    await command(job.id, 'resume').expect(200);
    const first = await request(t.server).get(t.path(`/job-manager/jobs/${job.id}/events`)).query({ maxItems: 2 }).set(asAdmin()).expect(200);
    expect(first.body.events.map((event: TimelineEvent) => event.type)).toEqual(['job.submitted', 'job.suspended']);
    const second = await request(t.server).get(first.body.next).set(asAdmin()).expect(200);
    expect(second.body.events.map((event: TimelineEvent) => event.type)).toEqual(['job.resumed']);
    expect(second.body.next).toBeUndefined();

    const other = await q.add();
    const cursor = new URL(first.body.next, 'http://x').searchParams.get('cursor');
    expectProblem(await request(t.server).get(t.path(`/job-manager/jobs/${other.id}/events`)).query({ cursor }).set(asAdmin()), 400, 'INVALID_CURSOR');
    expectProblem(await request(t.server).get(t.path(`/job-manager/jobs/${job.id}/logs`)).query({ cursor }).set(asAdmin()), 400, 'INVALID_CURSOR');
  });

  it("hides another user's job: 404, as for the job itself", async () => {
    const q = await freshQueue();
    const job = await q.add();
    expectProblem(await request(t.server).get(t.path(`/job-manager/jobs/${job.id}/events`)).set(alice), 404, 'JOB_NOT_FOUND');
  });

  it('writes each event in the transaction of its change: a failure after the event was written leaves neither', async () => {
    const q = await freshQueue();
    const job = await q.add();
    const timeline = t.app.get(JobTimelineRepository);
    const record = timeline.record.bind(timeline);
    const failAfterWriting = vi.spyOn(timeline, 'record').mockImplementation(async (manager, written) => {
      await record(manager, written);
      throw new Error('crash after the event was written');
    });
    try {
      expect((await command(job.id, 'suspend')).status).toBe(500);
      expect((await submit(t, asAdmin(), { contractName: `c-${q.name}`, actionName: 'run', extIPID: 'rolled-back' })).status).toBe(500);
    } finally {
      failAfterWriting.mockRestore();
    }
    discardViolations((violation) => violation.status === 500);
    const after = (await request(t.server).get(t.path(`/job-manager/jobs/${job.id}`)).set(asAdmin()).expect(200)).body;
    expect(after.status).toBe('SUBMITTED');
    expect((await events(job.id)).map((event) => event.type)).toEqual(['job.submitted']);
    const list = await request(t.server).get(t.path('/job-manager/jobs')).query({ extIPID: 'rolled-back' }).set(asAdmin()).expect(200);
    expect(list.body.jobs).toEqual([]);
  });

  it('is purged with its job by retention', async () => {
    const q = await freshQueue();
    const job = await q.add();
    await command(job.id, 'abort').expect(200);
    await t.dataSource.createQueryBuilder().update(JobEntity).set({ finishedAt: new Date(Date.now() - 3 * 86_400_000) }).where('id = :id', { id: job.id }).execute();
    expect(await t.app.get(JobPurgeRepository).purgeBatch(1, 100)).toBeGreaterThanOrEqual(1);
    const [{ n }] = (await t.dataSource.query('SELECT COUNT(*) AS n FROM job_events WHERE job_id = ?', [job.id])) as { n: number | string }[];
    expect(Number(n)).toBe(0);
  });
});
