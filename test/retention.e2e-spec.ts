import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobEntity } from '../src/jobs/job.entity';
import { JobRetention } from '../src/retention/job-retention';
import { JobExecutionEntity } from '../src/jobs/job-execution.entity';
import { JobLogEntity } from '../src/jobs/job-log.entity';
import { WebhookDeliveryEntity } from '../src/webhooks/webhook-delivery.entity';
import { WebhooksRepository } from '../src/webhooks/webhooks.repository';
import { Headers, withRoles } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { sampleValue, scrape } from './setup/metrics';
import { claim, workerCall } from './setup/workers';

const TEMPLATE = { id: '1', name: 'w', revision: '1' };
const DAY_MS = 86_400_000;
const ENV = { REAPER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0', RETENTION_DAYS: '30', RETENTION_BATCH_SIZE: '2' };

describe('retention: finished jobs are purged after RETENTION_DAYS', () => {
  let t: TestApp;
  let admin: Headers;
  let worker: Headers;
  let queue = 0;

  beforeAll(async () => {
    t = await createTestApp({ env: ENV });
    admin = await withRoles('submitter', ['Administrators']);
    worker = await withRoles('worker-1', ['Workers']);
  });

  afterAll(async () => {
    await t.close();
  });

  async function freshQueue() {
    const name = `r${++queue}`;
    await putContract(t, `c-${name}`, contractBody({ actions: [{ name: 'run', queue: name, workflowTemplate: TEMPLATE, maxAttempts: 1 }] }));
    return name;
  }

  const add = async (queueName: string, extIPID?: string) =>
    (await submit(t, admin, { contractName: `c-${queueName}`, actionName: 'run', ...(extIPID ? { extIPID } : {}) }).expect(201)).body
      .id as string;

  /** Runs the job to COMPLETED through a worker, leaving an execution and `lines` log lines. */
  async function runToCompletion(queueName: string, lines = 3, extIPID?: string) {
    const id = await add(queueName, extIPID);
    const [claimed] = await claim(t, worker, { queues: [queueName], leaseSeconds: 30 });
    expect(claimed.id).toBe(id);
    const log = Array.from({ length: lines }, (_, i) => ({ message: `line ${i}` }));
    await workerCall(t, worker, id, 'logs', { leaseToken: claimed.lease.token, lines: log }).expect(200);
    await workerCall(t, worker, id, 'complete', { leaseToken: claimed.lease.token }).expect(200);
    return id;
  }

  const abort = (id: string) => request(t.server).post(t.path(`/job-manager/jobs/${id}/abort`)).set(admin).expect(200);

  async function finishedDaysAgo(ids: string[], days: number) {
    await t.dataSource
      .createQueryBuilder()
      .update(JobEntity)
      .set({ finishedAt: new Date(Date.now() - days * DAY_MS) })
      .where('id IN (:...ids)', { ids })
      .execute();
  }

  const rows = async (ids: string[]) => ({
    jobs: await t.dataSource.getRepository(JobEntity).countBy(ids.map((id) => ({ id }))),
    executions: await t.dataSource.getRepository(JobExecutionEntity).countBy(ids.map((jobId) => ({ jobId }))),
    logs: await t.dataSource.getRepository(JobLogEntity).countBy(ids.map((jobId) => ({ jobId }))),
  });

  it('deletes finished jobs older than RETENTION_DAYS with their executions and logs, in batches, and nothing else', async () => {
    const q = await freshQueue();
    const completed = [await runToCompletion(q, 3), await runToCompletion(q, 2), await runToCompletion(q, 5)];
    const aborted = await add(q);
    await abort(aborted);
    const recent = await runToCompletion(q, 1);
    const waiting = await add(q);
    const old = [...completed, aborted];
    await finishedDaysAgo(old, 31);
    await finishedDaysAgo([recent], 29);
    // A live job whose row is old in every other respect stays: only finished jobs are purged.
    await t.dataSource.createQueryBuilder().update(JobEntity).set({ createdAt: new Date(Date.now() - 90 * DAY_MS) }).where('id = :id', { id: waiting }).execute();
    expect(await rows(old)).toEqual({ jobs: 4, executions: 3, logs: 10 });

    // Batches of 2 (RETENTION_BATCH_SIZE): one sweep keeps going until a batch comes back short.
    expect(await t.app.get(JobRetention).sweep()).toBe(4);

    expect(await rows(old)).toEqual({ jobs: 0, executions: 0, logs: 0 });
    expect(await rows([recent])).toEqual({ jobs: 1, executions: 1, logs: 1 });
    expect((await rows([waiting])).jobs).toBe(1);
    await request(t.server).get(t.path(`/job-manager/jobs/${completed[0]}`)).set(admin).expect(404);
    expect(await t.app.get(JobRetention).sweep()).toBe(0);
    const samples = await scrape(t, await withRoles('prometheus', ['Monitoring']));
    expect(sampleValue(samples, 'gateway_retention_purged_jobs_total')).toBe(4);
  });

  it('frees the IPID of a purged job: the same extIPID is a new job (201) again', async () => {
    const q = await freshQueue();
    const first = await runToCompletion(q, 1, 'order-2026-0001');
    const again = await submit(t, admin, { contractName: `c-${q}`, actionName: 'run', extIPID: 'order-2026-0001' }).expect(409);
    expect(again.body.id).toBe(first);
    await finishedDaysAgo([first], 31);
    expect(await t.app.get(JobRetention).sweep()).toBe(1);

    const resubmitted = await submit(t, admin, { contractName: `c-${q}`, actionName: 'run', extIPID: 'order-2026-0001' }).expect(201);
    expect(resubmitted.body.id).not.toBe(first);
    expect(resubmitted.body.status).toBe('SUBMITTED');
  });

  it('never purges a job restarted after it finished', async () => {
    const q = await freshQueue();
    const id = await add(q);
    await abort(id);
    await finishedDaysAgo([id], 31);
    await request(t.server).post(t.path(`/job-manager/jobs/${id}/restart`)).set(admin).expect(200);
    expect(await t.app.get(JobRetention).sweep()).toBe(0);
    expect((await rows([id])).jobs).toBe(1);
  });

  it('is safe in every instance at once: two sweeping together purge each job exactly once', async () => {
    const q = await freshQueue();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await runToCompletion(q, 4));
    await finishedDaysAgo(ids, 40);
    const second = await createTestApp({ database: t.database, env: ENV });
    try {
      const purged = await Promise.all([t.app.get(JobRetention).sweep(), second.app.get(JobRetention).sweep()]);
      expect(purged[0] + purged[1]).toBe(7);
      expect(await rows(ids)).toEqual({ jobs: 0, executions: 0, logs: 0 });
    } finally {
      await second.close();
    }
  });

  it('deletes webhook deliveries that ended (SUCCEEDED, DEAD) more than RETENTION_DAYS ago, in batches, and keeps pending and recent ones', async () => {
    const hook = await t.app.get(WebhooksRepository).create({
      url: 'https://hooks.example.com/retention', events: ['job.submitted'], contracts: null, description: null, secret: 'whsec_AAAA', createdAt: new Date(), createdBy: 'test',
    });
    const lastAttempt = (days: number) => new Date(Date.now() - days * DAY_MS);
    const deliveries = [
      { status: 'SUCCEEDED', at: lastAttempt(31) },
      { status: 'SUCCEEDED', at: lastAttempt(45) },
      { status: 'DEAD', at: lastAttempt(40) },
      { status: 'SUCCEEDED', at: lastAttempt(29) },
      { status: 'DEAD', at: lastAttempt(1) },
      { status: 'PENDING', at: lastAttempt(60) },
    ] as const;
    await t.dataSource.getRepository(WebhookDeliveryEntity).insert(
      deliveries.map(({ status, at }, index) => ({
        webhookId: hook.id, eventId: String(900_000 + index), eventType: 'job.submitted', jobId: '1', body: '{}', status, attempts: 1, nextAttemptAt: at, createdAt: at,
      })),
    );
    await t.app.get(JobRetention).sweep();
    const left = await t.dataSource.getRepository(WebhookDeliveryEntity).find({ where: { webhookId: hook.id }, order: { eventId: 'ASC' } });
    // RETENTION_BATCH_SIZE is 2: the three old ended ones took two batches.
    expect(left.map((delivery) => delivery.status)).toEqual(['SUCCEEDED', 'DEAD', 'PENDING']);
    expect(left.map((delivery) => String(delivery.eventId))).toEqual(['900003', '900004', '900005']);
  });

  it('keeps everything with RETENTION_DAYS=0', async () => {
    const q = await freshQueue();
    const id = await add(q);
    await abort(id);
    await finishedDaysAgo([id], 3650);
    const keeper = await createTestApp({ database: t.database, env: { ...ENV, RETENTION_DAYS: '0' } });
    try {
      expect(await keeper.app.get(JobRetention).sweep()).toBe(0);
      expect((await rows([id])).jobs).toBe(1);
    } finally {
      await keeper.close();
    }
  });
});
