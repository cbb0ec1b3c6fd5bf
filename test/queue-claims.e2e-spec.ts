import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, bearer, Headers, withRoles } from './setup/auth';
import { actionInQueue } from './setup/contracts';
import type { TestApp } from './setup/create-test-app';
import { Instances, startInstances } from './setup/instances';
import { hasMysql } from './setup/test-database';
import { claim, expireLease } from './setup/workers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** "HH:MM" `minutes` from now in UTC, wrapping around midnight. */
function utcTime(minutes: number): string {
  const total = (((new Date().getUTCHours() * 60 + new Date().getUTCMinutes() + minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

describe(`claims obey the queues (${hasMysql ? 'MariaDB' : 'SQLite'}, two gateway instances)`, () => {
  let instances: Instances;
  let t: TestApp;
  let worker: Headers;
  let serial = 0;

  beforeAll(async () => {
    // No reaper: an expired lease must free its slot by itself, before any reaper pass requeues the job.
    instances = await startInstances(2, { REAPER_INTERVAL_MS: '0' });
    t = instances.apps[0];
    worker = await withRoles('queue-worker', ['Workers']);
  });

  afterAll(async () => {
    await instances?.close();
  });

  /** A fresh queue with these settings and an action that submits into it. */
  async function freshQueue(settings: Record<string, unknown> = {}, priority?: number) {
    const queue = await actionInQueue(t, `q-${++serial}`, asAdmin(), priority ? { priority } : {});
    await setQueue(queue.name, settings);
    return queue;
  }

  async function setQueue(name: string, settings: Record<string, unknown>) {
    const response = await request(t.server).put(t.path(`/job-manager/queues/${name}`)).set(asAdmin()).send(settings);
    expect([200, 201], JSON.stringify(response.body)).toContain(response.status);
  }

  const ids = (jobs: { id: string }[]) => jobs.map((job) => job.id);

  it('hands out nothing from a DISABLED queue and keeps its jobs SUBMITTED until it is enabled', async () => {
    const q = await freshQueue({ status: 'DISABLED' });
    const job = await q.add();
    expect(await claim(t, worker, { queues: [q.name] })).toEqual([]);
    const kept = await request(t.server).get(t.path(`/job-manager/jobs/${job.id}`)).set(asAdmin()).expect(200);
    expect(kept.body.status).toBe('SUBMITTED');
    // Changed through the other instance: the next claim here sees it.
    const other = instances.apps[1];
    await request(other.server).put(other.path(`/job-manager/queues/${q.name}`)).set(asAdmin()).send({ status: 'ENABLED' }).expect(200);
    expect(ids(await claim(t, worker, { queues: [q.name] }))).toEqual([job.id]);
  });

  it('hands out from a SCHEDULED queue only inside one of its slots, read in its timezone', async () => {
    const inside = await freshQueue({ status: 'SCHEDULED', timeSlots: [{ from: utcTime(-60), to: utcTime(60) }] });
    const outside = await freshQueue({ status: 'SCHEDULED', timeSlots: [{ from: utcTime(120), to: utcTime(180) }] });
    // The same window as `inside`, written in Kolkata's time (UTC+05:30 all year).
    const kolkata = await freshQueue({ status: 'SCHEDULED', timezone: 'Asia/Kolkata', timeSlots: [{ from: utcTime(330 - 60), to: utcTime(330 + 60) }] });
    const jobs = [await inside.add(), await outside.add(), await kolkata.add()];
    expect(ids(await claim(t, worker, { queues: [inside.name, outside.name, kolkata.name], maxJobs: 10 })).sort()).toEqual([jobs[0].id, jobs[2].id].sort());
  });

  it('serves higher queues first, then job priority, then the oldest job', async () => {
    const low = await freshQueue({ priority: 2 }, 9);
    const high = await freshQueue({ priority: 9 }, 1);
    const first = await low.add();
    const second = await high.add();
    const third = await high.add();
    expect(ids(await claim(t, worker, { queues: [low.name, high.name], maxJobs: 10 }))).toEqual([second.id, third.id, first.id]);
  });

  it.each([1, 3])('never has more than parallelism %i RUNNING, with 8 workers claiming at once over both instances', async (parallelism) => {
    const q = await freshQueue({ parallelism });
    const submitted = [];
    for (let index = 0; index < 24; index++) submitted.push((await q.add()).id);
    const authorization = (await bearer({ sub: 'fleet', roles: ['Workers'] }, { expiresIn: '10m' })).Authorization;
    const post = async (base: string, path: string, body: object) => {
      const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as { jobs?: { id: string; lease: { token: string } }[] } };
    };
    let holding = 0;
    let most = 0;
    const completed: string[] = [];
    const work = async (index: number) => {
      const base = instances.urls[index % 2];
      while (completed.length < submitted.length) {
        const claimed = await post(base, '/job-manager/workers/claim', { workerId: `w${index}`, queues: [q.name], maxJobs: 5 });
        expect(claimed.status).toBe(200);
        const jobs = claimed.body.jobs ?? [];
        holding += jobs.length;
        most = Math.max(most, holding);
        for (const job of jobs) {
          await sleep(5);
          // Counted as free before the completion is sent: a claim racing it may already see the slot.
          holding--;
          expect((await post(base, `/job-manager/jobs/${job.id}/complete`, { leaseToken: job.lease.token })).status).toBe(200);
          completed.push(job.id);
        }
        if (jobs.length === 0) await sleep(5);
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, index) => work(index)));
    expect(completed.sort()).toEqual([...submitted].sort());
    expect(most).toBeLessThanOrEqual(parallelism);
  });

  it('frees the slot of an expired lease at once', async () => {
    const q = await freshQueue({ parallelism: 1 });
    const [first, second] = [await q.add(), await q.add()];
    expect(ids(await claim(t, worker, { queues: [q.name], maxJobs: 2 }))).toEqual([first.id]);
    expect(await claim(t, worker, { queues: [q.name] })).toEqual([]);
    await expireLease(t, first.id);
    expect(ids(await claim(t, worker, { queues: [q.name] }))).toEqual([second.id]);
  });
});
