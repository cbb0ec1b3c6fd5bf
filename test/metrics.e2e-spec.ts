import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseReaper } from '../src/workers/lease-reaper';
import { Headers, withRoles } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { sampleValue, scrape } from './setup/metrics';
import { expectProblem } from './setup/problem';
import { hasMysql } from './setup/test-database';
import { claim, expireLease, makeReady, workerCall } from './setup/workers';

const TEMPLATE = { id: '1', name: 'w', revision: '1' };

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  let admin: Headers;
  let monitoring: Headers;
  let worker: Headers;

  beforeAll(async () => {
    t = await createTestApp({ env: { REAPER_INTERVAL_MS: '0' } });
    admin = await withRoles('submitter', ['Administrators']);
    monitoring = await withRoles('prometheus', ['Monitoring']);
    worker = await withRoles('worker-1', ['Workers']);
    for (const queue of ['metrics-a', 'metrics-b']) {
      await putContract(t, `c-${queue}`, contractBody({ actions: [{ name: 'run', queue, workflowTemplate: TEMPLATE, maxAttempts: 3 }] }));
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('is served in the Prometheus text format to the Monitoring role, and refused to others', async () => {
    const response = await request(t.server).get(t.path('/metrics')).set(monitoring).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toMatch(/^# HELP gateway_http_request_duration_seconds /m);
    expect(response.text).toMatch(/^gateway_process_cpu_seconds_total /m);
    expectProblem(await request(t.server).get(t.path('/metrics')).set(await withRoles('user', ['Users'])), 403, 'FORBIDDEN');
    expectProblem(await request(t.server).get(t.path('/metrics')), 401, 'UNAUTHENTICATED');
  });

  it('is open to anyone with METRICS_PUBLIC=true, the default, as API.md says', async () => {
    const open = await createTestApp({ env: { METRICS_PUBLIC: 'true' } });
    try {
      const response = await request(open.server).get(open.path('/metrics')).expect(200);
      expect(response.text).toMatch(/^# HELP gateway_http_request_duration_seconds /m);
      expectProblem(await request(open.server).get(open.path('/job-manager/jobs')), 401, 'UNAUTHENTICATED');
    } finally {
      await open.close();
    }
  });

  it('labels request durations with the route template, never the raw URL', async () => {
    await request(t.server).get(t.path('/job-manager/jobs/987654321')).set(admin).expect(404);
    await request(t.server).get(t.path('/no/such/route/4242')).expect(404);
    const samples = await scrape(t, monitoring);
    const count = (labels: Record<string, string>) =>
      sampleValue(samples, 'gateway_http_request_duration_seconds_count', labels);
    expect(count({ method: 'GET', route: '/job-manager/jobs/:id', status: '404' })).toBe(1);
    expect(count({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    const routes = samples.filter((sample) => sample.name === 'gateway_http_request_duration_seconds_count').map((s) => s.labels.route);
    expect(routes.filter((route) => /\d{4,}/.test(route))).toEqual([]);
  });

  it('counts submissions by outcome: created, duplicate, rejected', async () => {
    const body = { contractName: 'c-metrics-a', actionName: 'run', extIPID: 'metrics-1' };
    await submit(t, admin, body).expect(201);
    await submit(t, admin, body).expect(409);
    await submit(t, admin, { ...body, unknownField: 1 }).expect(400);
    await submit(t, admin, { ...body, contractName: 'no-such-contract' }).expect(404);
    const samples = await scrape(t, monitoring);
    expect(sampleValue(samples, 'gateway_job_submissions_total', { outcome: 'created' })).toBe(1);
    expect(sampleValue(samples, 'gateway_job_submissions_total', { outcome: 'duplicate' })).toBe(1);
    expect(sampleValue(samples, 'gateway_job_submissions_total', { outcome: 'rejected' })).toBe(2);
  });

  it('reports live jobs by status and queue from a count cached between scrapes', async () => {
    await submit(t, admin, { contractName: 'c-metrics-b', actionName: 'run' }).expect(201);
    await submit(t, admin, { contractName: 'c-metrics-b', actionName: 'run' }).expect(201);
    // An earlier scrape counted before these submissions: within the cache age they must not show.
    let samples = await scrape(t, monitoring);
    const counted = sampleValue(samples, 'gateway_job_counts_timestamp_seconds');
    expect(counted).toBeGreaterThan(0);
    const cachedDepthB = sampleValue(samples, 'gateway_queue_depth', { queue: 'metrics-b' });
    expect(cachedDepthB).toBeUndefined();

    const fresh = await createTestApp({ database: t.database, env: { REAPER_INTERVAL_MS: '0' } });
    try {
      samples = await scrape(fresh, monitoring);
      expect(sampleValue(samples, 'gateway_jobs', { status: 'SUBMITTED', queue: 'metrics-a' })).toBe(1);
      expect(sampleValue(samples, 'gateway_jobs', { status: 'SUBMITTED', queue: 'metrics-b' })).toBe(2);
      expect(sampleValue(samples, 'gateway_queue_depth', { queue: 'metrics-b' })).toBe(2);
      expect(sampleValue(samples, 'gateway_jobs', { status: 'RUNNING', queue: 'metrics-b' })).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  it('measures claims, the wait before the first claim, retries, lease expirations and ended executions', async () => {
    const [first, second] = await claim(t, worker, { queues: ['metrics-b'], maxJobs: 2, leaseSeconds: 30 });
    await workerCall(t, worker, first.id, 'fail', { leaseToken: first.lease.token, error: 'boom', retryable: true }).expect(200);
    await workerCall(t, worker, second.id, 'complete', { leaseToken: second.lease.token }).expect(200);
    await makeReady(t, first.id);
    const [again] = await claim(t, worker, { queues: ['metrics-b'], leaseSeconds: 30 });
    expect(again.id).toBe(first.id);
    await expireLease(t, again.id);
    expect(await t.app.get(LeaseReaper).sweep()).toBe(1);

    const samples = await scrape(t, monitoring);
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels);
    expect(value('gateway_jobs_claimed_total', { queue: 'metrics-b' })).toBe(3);
    expect(value('gateway_job_wait_seconds_count', { queue: 'metrics-b' })).toBe(2);
    expect(value('gateway_claim_duration_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(value('gateway_executions_total', { queue: 'metrics-b', outcome: 'FAILED' })).toBe(1);
    expect(value('gateway_executions_total', { queue: 'metrics-b', outcome: 'COMPLETED' })).toBe(1);
    expect(value('gateway_executions_total', { queue: 'metrics-b', outcome: 'EXPIRED' })).toBe(1);
    expect(value('gateway_job_retries_total', { queue: 'metrics-b', reason: 'failed' })).toBe(1);
    expect(value('gateway_job_retries_total', { queue: 'metrics-b', reason: 'lease_expired' })).toBe(1);
    expect(value('gateway_lease_expirations_total', { queue: 'metrics-b' })).toBe(1);
  });

  it('counts an execution whose lease ran out with an abort pending as EXPIRED, as its row says', async () => {
    await putContract(t, 'c-metrics-c', contractBody({ actions: [{ name: 'run', queue: 'metrics-c', workflowTemplate: TEMPLATE }] }));
    const { id } = (await submit(t, admin, { contractName: 'c-metrics-c', actionName: 'run' }).expect(201)).body;
    await claim(t, worker, { queues: ['metrics-c'], leaseSeconds: 30 });
    await request(t.server).post(t.path(`/job-manager/jobs/${id}/abort`)).set(admin).expect(202);
    await expireLease(t, id);
    expect(await t.app.get(LeaseReaper).sweep()).toBe(1);
    const executions = await request(t.server).get(t.path(`/job-manager/jobs/${id}/executions`)).set(admin).expect(200);
    expect(executions.body.executions.map((execution: { status: string }) => execution.status)).toEqual(['EXPIRED']);
    const samples = await scrape(t, monitoring);
    expect(sampleValue(samples, 'gateway_executions_total', { queue: 'metrics-c', outcome: 'EXPIRED' })).toBe(1);
    expect(sampleValue(samples, 'gateway_executions_total', { queue: 'metrics-c', outcome: 'ABORTED' })).toBeUndefined();
  });

  it.runIf(hasMysql)('reports the database pool (MySQL/MariaDB)', async () => {
    const samples = await scrape(t, monitoring);
    expect(sampleValue(samples, 'gateway_db_pool_max_connections', { pool: 'primary' })).toBe(t.config.database.poolSize);
    expect(sampleValue(samples, 'gateway_db_pool_connections', { pool: 'primary', state: 'idle' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'gateway_db_pool_waiting_requests', { pool: 'primary' })).toBe(0);
  });
});
