import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Database } from '../src/database/database.service';
import { asAdmin, Headers, withRoles } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { expectProblem } from './setup/problem';
import { claim, workerCall } from './setup/workers';

const COMMANDS = ['abort', 'suspend', 'resume', 'restart'] as const;
type Command = (typeof COMMANDS)[number];

describe('job lifecycle: control operations', () => {
  let t: TestApp;
  let admin: Headers;
  let worker: Headers;

  beforeAll(async () => {
    t = await createTestApp({ env: { REAPER_INTERVAL_MS: '0' } });
    admin = await withRoles('operator', ['Administrators']);
    worker = await withRoles('w', ['Workers']);
    await putContract(t, 'life', contractBody({ actions: [{ name: 'run', queue: 'life', workflowTemplate: { id: '1', name: 'w', revision: '1' }, maxAttempts: 1 }] }));
  });

  afterAll(async () => {
    await t.close();
  });

  const control = (id: string, command: Command, headers = admin) =>
    request(t.server).post(t.path(`/job-manager/jobs/${id}/${command}`)).set(headers);

  /** A job brought into `status` through the API only. */
  async function jobIn(status: string): Promise<string> {
    const { id } = (await submit(t, admin, { contractName: 'life', actionName: 'run' }).expect(201)).body;
    if (status === 'SUBMITTED') return id;
    if (status === 'SUSPENDED') {
      await control(id, 'suspend').expect(200);
      return id;
    }
    if (status === 'ABORTED') {
      await control(id, 'abort').expect(200);
      return id;
    }
    // Claim until we hold this job: earlier tests may have left other ready jobs in the queue.
    for (;;) {
      const [claimed] = await claim(t, worker, { queues: ['life'] });
      if (!claimed) throw new Error(`job ${id} was never claimed`);
      if (status === 'RUNNING' && claimed.id === id) return id;
      const completing = claimed.id === id && status === 'COMPLETED';
      const body = completing ? { leaseToken: claimed.lease.token } : { leaseToken: claimed.lease.token, error: 'x', retryable: false };
      await workerCall(t, worker, claimed.id, completing ? 'complete' : 'fail', body).expect(200);
      if (claimed.id === id) return id;
    }
  }

  // Every (status, command) pair: what the API must answer.
  const expected: Record<string, Partial<Record<Command, [number, string]>>> = {
    SUBMITTED: { abort: [200, 'ABORTED'], suspend: [200, 'SUSPENDED'], resume: [409, 'SUBMITTED'], restart: [409, 'SUBMITTED'] },
    SUSPENDED: { abort: [200, 'ABORTED'], suspend: [409, 'SUSPENDED'], resume: [200, 'SUBMITTED'], restart: [409, 'SUSPENDED'] },
    RUNNING: { abort: [202, 'RUNNING'], suspend: [409, 'RUNNING'], resume: [409, 'RUNNING'], restart: [409, 'RUNNING'] },
    ERROR: { abort: [409, 'ERROR'], suspend: [409, 'ERROR'], resume: [409, 'ERROR'], restart: [200, 'SUBMITTED'] },
    ABORTED: { abort: [409, 'ABORTED'], suspend: [409, 'ABORTED'], resume: [409, 'ABORTED'], restart: [200, 'SUBMITTED'] },
    COMPLETED: { abort: [409, 'COMPLETED'], suspend: [409, 'COMPLETED'], resume: [409, 'COMPLETED'], restart: [409, 'COMPLETED'] },
  };
  const cases = Object.entries(expected).flatMap(([status, commands]) =>
    COMMANDS.map((command) => [status, command, ...(commands[command] as [number, string])] as const),
  );

  it.each(cases)('%s + %s → %i, then %s', async (status, command, code, after) => {
    const id = await jobIn(status);
    const response = await control(id, command);
    expect(response.status).toBe(code);
    if (code === 409) {
      expectProblem(response, 409, 'ILLEGAL_TRANSITION');
      expect(response.body.currentStatus).toBe(status);
    } else {
      expect(response.body.status).toBe(after);
    }
    const read = await request(t.server).get(t.path(`/job-manager/jobs/${id}`)).set(admin).expect(200);
    expect(read.body.status).toBe(after);
  });

  it('restarts with fresh attempts, and the next claim is a new execution', async () => {
    const id = await jobIn('ERROR');
    const restarted = await control(id, 'restart').expect(200);
    expect(restarted.body).toMatchObject({ status: 'SUBMITTED', attempts: 0, finishedAt: null });
    let mine;
    for (;;) {
      const [claimed] = await claim(t, worker, { queues: ['life'] });
      if (claimed.id === id) {
        mine = claimed;
        break;
      }
      await workerCall(t, worker, claimed.id, 'fail', { leaseToken: claimed.lease.token, error: 'x', retryable: false });
    }
    expect(mine.attempts).toBe(1);
    expect(mine.execution.number).toBe(2);
    const history = await request(t.server).get(t.path(`/job-manager/jobs/${id}/executions`)).set(admin).expect(200);
    expect(history.body.executions.map((execution: { number: number; status: string }) => [execution.number, execution.status])).toEqual([
      [1, 'FAILED'],
      [2, 'RUNNING'],
    ]);
  });

  it('a suspended job is not claimed until resumed', async () => {
    await putContract(t, 'parked', contractBody({ actions: [{ name: 'run', queue: 'parked', workflowTemplate: { id: '1', name: 'w', revision: '1' } }] }));
    const { id } = (await submit(t, admin, { contractName: 'parked', actionName: 'run' }).expect(201)).body;
    await control(id, 'suspend').expect(200);
    expect(await claim(t, worker, { queues: ['parked'] })).toEqual([]);
    await control(id, 'resume').expect(200);
    expect((await claim(t, worker, { queues: ['parked'] })).map((job) => job.id)).toEqual([id]);
  });

  it('of two racing commands for the same transition, exactly one wins', async () => {
    for (let round = 0; round < 10; round++) {
      const id = await jobIn(round % 2 === 0 ? 'SUBMITTED' : 'ABORTED');
      const command = round % 2 === 0 ? 'suspend' : 'restart';
      const answers = await Promise.all([control(id, command), control(id, command)]);
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, 409]);
      const winner = answers.find((answer) => answer.status === 200)?.body.status;
      const read = await request(t.server).get(t.path(`/job-manager/jobs/${id}`)).set(admin);
      expect(read.body.status).toBe(winner);
    }
  });

  it('answers 404 for an unknown job and 400 for a bad id', async () => {
    expectProblem(await control('999999999', 'abort'), 404, 'JOB_NOT_FOUND');
    expectProblem(await control('x', 'abort'), 400, 'VALIDATION_FAILED');
  });

  it('lets only WORKFLOW roles control jobs', async () => {
    const id = await jobIn('SUBMITTED');
    expectProblem(await control(id, 'abort', await withRoles('viewer', ['Users'])), 403, 'FORBIDDEN');
  });

  it('patches name, description and tags only', async () => {
    const id = await jobIn('SUBMITTED');
    const patched = await request(t.server)
      .patch(t.path(`/job-manager/jobs/${id}`))
      .set(admin)
      .send({ name: 'nightly import', description: 'the big one', tags: ['eom', 'urgent', 'eom'] })
      .expect(200);
    expect(patched.body).toMatchObject({ name: 'nightly import', description: 'the big one', tags: ['eom', 'urgent'], status: 'SUBMITTED' });
    const refused = await request(t.server).patch(t.path(`/job-manager/jobs/${id}`)).set(admin).send({ status: 'COMPLETED' });
    expectProblem(refused, 400, 'VALIDATION_FAILED');
  });

  it('aborts and restarts in bulk by the list filters, answering the count', async () => {
    await putContract(t, 'bulk', contractBody({ actions: [{ name: 'run', queue: 'bulk', workflowTemplate: { id: '1', name: 'w', revision: '1' } }] }));
    const ids: string[] = [];
    for (let index = 0; index < 6; index++) {
      ids.push((await submit(t, admin, { contractName: 'bulk', actionName: 'run' }).expect(201)).body.id);
    }
    await control(ids[0], 'suspend').expect(200);
    const aborted = await request(t.server).post(t.path('/job-manager/jobs/abort')).query({ contract: 'bulk' }).set(admin).expect(200);
    expect(aborted.body).toEqual({ count: 6, remaining: false });
    const list = await request(t.server).get(t.path('/job-manager/jobs')).query({ contract: 'bulk', status: 'ABORTED' }).set(admin);
    expect(list.body.jobs).toHaveLength(6);
    const restarted = await request(t.server).post(t.path('/job-manager/jobs/restart')).query({ contract: 'bulk' }).set(asAdmin()).expect(200);
    expect(restarted.body).toEqual({ count: 6, remaining: false });
    const again = await request(t.server).post(t.path('/job-manager/jobs/restart')).query({ contract: 'bulk' }).set(admin).expect(200);
    expect(again.body.count).toBe(0);
  });

  it('aborts in bulk in two transactions (lock, UPDATE, events), however many jobs match, RUNNING ones by request', async () => {
    await putContract(t, 'many', contractBody({ actions: [{ name: 'run', queue: 'many', workflowTemplate: { id: '1', name: 'w', revision: '1' } }] }));
    const ids: string[] = [];
    for (let index = 0; index < 30; index++) {
      ids.push((await submit(t, admin, { contractName: 'many', actionName: 'run' }).expect(201)).body.id);
    }
    await control(ids[0], 'suspend').expect(200);
    const running = await claim(t, worker, { queues: ['many'], maxJobs: 3 });
    const database = t.app.get(Database);
    const writes = vi.spyOn(database, 'write');
    const transactions = vi.spyOn(database, 'transaction');
    try {
      const aborted = await request(t.server).post(t.path('/job-manager/jobs/abort')).query({ contract: 'many' }).set(admin).expect(200);
      expect(aborted.body).toEqual({ count: 30, remaining: false });
      expect(transactions).toHaveBeenCalledTimes(2);
      expect(writes).not.toHaveBeenCalled();
    } finally {
      writes.mockRestore();
      transactions.mockRestore();
    }
    const events = async (id: string) =>
      (await request(t.server).get(t.path(`/job-manager/jobs/${id}/events`)).set(admin).expect(200)).body.events.map((event: { type: string }) => event.type);
    expect(await events(running[0].id)).toEqual(['job.submitted', 'job.claimed', 'job.abort_requested']);
    expect(await events(ids[0])).toEqual(['job.submitted', 'job.suspended', 'job.aborted']);
    const job = (await request(t.server).get(t.path(`/job-manager/jobs/${running[0].id}`)).set(admin).expect(200)).body;
    expect(job).toMatchObject({ status: 'RUNNING', abortRequested: true });
    const list = await request(t.server).get(t.path('/job-manager/jobs')).query({ contract: 'many', status: 'ABORTED', maxItems: '100' }).set(admin);
    expect(list.body.jobs).toHaveLength(27);
  });

  it('refuses a bulk command without any filter unless all=true', async () => {
    await putContract(t, 'everything', contractBody({ actions: [{ name: 'run', queue: 'everything', workflowTemplate: { id: '1', name: 'w', revision: '1' } }] }));
    const { id } = (await submit(t, admin, { contractName: 'everything', actionName: 'run' }).expect(201)).body;
    for (const command of ['abort', 'restart']) {
      for (const query of [{}, { sort: '-id' }, { maxItems: '10' }, { all: 'false' }]) {
        const refused = await request(t.server).post(t.path(`/job-manager/jobs/${command}`)).query(query).set(admin);
        expectProblem(refused, 400, 'VALIDATION_FAILED');
        expect(refused.body.errors).toEqual([{ field: 'all', message: 'must be true when no filter is given' }]);
      }
    }
    expect((await request(t.server).get(t.path(`/job-manager/jobs/${id}`)).set(admin)).body.status).toBe('SUBMITTED');
    const everything = await request(t.server).post(t.path('/job-manager/jobs/abort')).query({ all: 'true' }).set(admin).expect(200);
    expect(everything.body.count).toBeGreaterThan(0);
    expect((await request(t.server).get(t.path(`/job-manager/jobs/${id}`)).set(admin)).body.status).toBe('ABORTED');
  });
});
