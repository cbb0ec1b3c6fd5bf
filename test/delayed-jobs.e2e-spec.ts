import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, Headers, withRoles } from './setup/auth';
import { actionInQueue } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { expectProblem } from './setup/problem';
import { claim } from './setup/workers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('delayed jobs: notBefore on submit', () => {
  let t: TestApp;
  let worker: Headers;
  let queue = 0;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await withRoles('delay-worker', ['Workers']);
  });

  afterAll(async () => {
    await t.close();
  });

  const freshQueue = () => actionInQueue(t, `delayed-${++queue}`, asAdmin());

  const command = (id: string, name: string) => request(t.server).post(t.path(`/job-manager/jobs/${id}/${name}`)).set(asAdmin());

  it('is not claimable before notBefore, and is from then on; the job shows it in UTC', async () => {
    const q = await freshQueue();
    const at = new Date(Date.now() + 1500);
    // The same instant written at +02:00: the answer normalises it to UTC.
    const job = await q.add({ notBefore: new Date(at.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00') });
    expect(job.notBefore).toBe(at.toISOString());
    const now = await q.add();
    expect(now.notBefore).toBeNull();
    expect((await claim(t, worker, { queues: [q.name], maxJobs: 10 })).map((entry) => entry.id)).toEqual([now.id]);
    await sleep(Math.max(0, at.getTime() - Date.now()) + 100);
    expect((await claim(t, worker, { queues: [q.name], maxJobs: 10 })).map((entry) => entry.id)).toEqual([job.id]);
  });

  it('runs at once when notBefore has passed', async () => {
    const q = await freshQueue();
    const job = await q.add({ notBefore: '2020-01-01T00:00:00Z' });
    expect(job.notBefore).toBe('2020-01-01T00:00:00.000Z');
    expect((await claim(t, worker, { queues: [q.name] })).map((entry) => entry.id)).toEqual([job.id]);
  });

  it('stays delayed through suspend, resume, abort and restart', async () => {
    const q = await freshQueue();
    const job = await q.add({ notBefore: new Date(Date.now() + 60_000).toISOString() });
    await command(job.id, 'suspend').expect(200);
    await command(job.id, 'resume').expect(200);
    expect(await claim(t, worker, { queues: [q.name] })).toEqual([]);
    await command(job.id, 'abort').expect(200);
    await command(job.id, 'restart').expect(200);
    expect(await claim(t, worker, { queues: [q.name] })).toEqual([]);
    expect((await request(t.server).get(t.path(`/job-manager/jobs/${job.id}`)).set(asAdmin()).expect(200)).body).toMatchObject({
      status: 'SUBMITTED',
      notBefore: job.notBefore,
    });
  });

  it.each([
    ['no offset', '2026-11-23T22:00:00'],
    ['an impossible date', '2026-02-30T22:00:00Z'],
    ['a date only', '2026-11-23'],
    ['a number', 1_800_000_000_000],
    ['before 1970', '1969-12-31T23:59:59Z'],
  ])('refuses a notBefore with %s, naming it', async (_case, notBefore) => {
    const q = await freshQueue();
    const response = await submit(t, asAdmin(), { contractName: `c-${q.name}`, actionName: 'run', notBefore });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(['notBefore']);
  });
});
