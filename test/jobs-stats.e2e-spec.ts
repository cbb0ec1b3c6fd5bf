import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../src/database/database.service';
import type { JobEntity } from '../src/jobs/job.entity';
import { JobStatsRepository } from '../src/jobs/job-stats.repository';
import { Headers, withRoles } from './setup/auth';
import { createTestApp, TestApp } from './setup/create-test-app';
import { expectProblem } from './setup/problem';
import { buildJob, createJobs } from './factories/job.factory';

const STATS = '/job-manager/jobs/stats';
const MINUTE = 60_000;
const FINAL = ['COMPLETED', 'ERROR', 'ABORTED'] as const;

interface Bucket {
  minute: string;
  submitted: number;
  finished: Record<(typeof FINAL)[number], number>;
}

/** Jobs created 5 to 40 minutes ago (well inside the last hour, whatever minute the test runs in), a third finished 3 minutes later. */
function seedJobs(now: number) {
  return Array.from({ length: 36 }, (_, i) => {
    const createdAt = new Date(now - (5 + i) * MINUTE - 7_000);
    const status = i % 3 === 0 ? FINAL[i % FINAL.length] : i % 3 === 1 ? 'RUNNING' : 'SUBMITTED';
    return buildJob({
      status,
      submittedBy: ['alice', 'bob'][i % 2],
      createdAt,
      updatedAt: createdAt,
      finishedAt: i % 3 === 0 ? new Date(createdAt.getTime() + 3 * MINUTE) : null,
    });
  });
}

/** What the buckets must hold: counted here, over the seeded jobs, by the minute each instant falls in. */
function expected(buckets: Bucket[], jobs: JobEntity[]): Bucket[] {
  const minuteOf = (instant: Date) => new Date(Math.floor(instant.getTime() / MINUTE) * MINUTE).toISOString();
  return buckets.map(({ minute }) => ({
    minute,
    submitted: jobs.filter((job) => minuteOf(job.createdAt) === minute).length,
    finished: Object.fromEntries(
      FINAL.map((status) => [status, jobs.filter((job) => job.status === status && job.finishedAt && minuteOf(job.finishedAt) === minute).length]),
    ) as Bucket['finished'],
  }));
}

describe('per-minute job stats', () => {
  let t: TestApp;
  let admin: Headers;
  let jobs: JobEntity[];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await withRoles('stats-admin', ['Administrators']);
    const now = Date.now();
    // Two hours ago: outside the default window, inside a three-hour one.
    jobs = await createJobs(t, [...seedJobs(now), buildJob({ createdAt: new Date(now - 120 * MINUTE), submittedBy: 'alice' })]);
  });

  afterAll(async () => {
    await t.close();
  });

  const stats = (query: Record<string, string> = {}, headers: Headers = admin, app: TestApp = t) =>
    request(app.server).get(app.path(STATS)).query(query).set(headers);

  it('answers the last 60 minutes by default, one zero-filled bucket a minute, oldest first, the current minute last', async () => {
    const before = Date.now();
    const response = await stats().expect(200);
    const { from, to, buckets } = response.body as { from: string; to: string; buckets: Bucket[] };
    expect(buckets).toHaveLength(60);
    expect(buckets[0].minute).toBe(from);
    expect(Date.parse(to)).toBe(Date.parse(buckets[59].minute) + MINUTE);
    expect(Date.parse(to)).toBeGreaterThan(before);
    expect(Date.parse(to) - MINUTE).toBeLessThanOrEqual(Date.now());
    buckets.forEach((bucket, index) => expect(Date.parse(bucket.minute)).toBe(Date.parse(from) + index * MINUTE));
    expect(buckets).toEqual(expected(buckets, jobs));
    expect(buckets.reduce((sum, bucket) => sum + bucket.submitted, 0)).toBe(36);
    expect(buckets.reduce((sum, bucket) => sum + bucket.finished.COMPLETED + bucket.finished.ERROR + bucket.finished.ABORTED, 0)).toBe(12);
  });

  it.each([['1'], ['180'], ['1440']])('answers exactly minutes=%s buckets', async (minutes) => {
    const { buckets } = (await stats({ minutes }).expect(200)).body as { buckets: Bucket[] };
    expect(buckets).toHaveLength(Number(minutes));
    expect(buckets).toEqual(expected(buckets, jobs));
  });

  it.each([['0'], ['1441'], ['-5'], ['1.5'], ['sixty'], ['']])('400 for minutes=%j', async (minutes) => {
    const response = await stats({ minutes });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.errors).toEqual([{ field: 'minutes', message: expect.stringMatching(/^minutes must be (a number|an integer from 1 to 1440)/) }]);
  });

  it('refuses unknown parameters, callers without SPENGCEMANJOBS, and no credentials', async () => {
    expectProblem(await stats({ minute: '5' }), 400, 'VALIDATION_FAILED');
    expectProblem(await stats({}, await withRoles('a-worker', ['Workers'])), 403, 'FORBIDDEN');
    expectProblem(await request(t.server).get(t.path(STATS)), 401, 'UNAUTHENTICATED');
  });

  it('counts only its own jobs for a caller without JOBS_ALL', async () => {
    const t2 = await createTestApp({ env: { AUTH_PERMISSIONS: '{"JOBS_ALL":["Administrators"]}' }, database: t.database });
    try {
      const { buckets } = (await stats({}, await withRoles('bob', ['Users']), t2).expect(200)).body as { buckets: Bucket[] };
      const bobs = jobs.filter((job) => job.submittedBy === 'bob');
      expect(buckets).toEqual(expected(buckets, bobs));
      expect(buckets.reduce((sum, bucket) => sum + bucket.submitted, 0)).toBe(18);
    } finally {
      await t2.close();
    }
  });

  it('leaves jobs/{id} to the job routes', async () => {
    expect((await request(t.server).get(t.path(`/job-manager/jobs/${jobs[0].id}`)).set(admin).expect(200)).body.id).toBe(jobs[0].id);
    expectProblem(await request(t.server).get(t.path('/job-manager/jobs/statz')).set(admin), 400, 'VALIDATION_FAILED');
  });

  it.each([
    ['submitted', 'everyone', 'IDX_jobs_created_at_id', 'created_at>\\? AND created_at<\\?'],
    ['submitted', 'bob', 'IDX_jobs_submitted_by_created_at', 'submitted_by=\\? AND created_at>\\? AND created_at<\\?'],
    ['finished', 'everyone', 'IDX_jobs_finished_stats', 'finished_at>\\? AND finished_at<\\?'],
    ['finished', 'bob', 'IDX_jobs_finished_stats', 'finished_at>\\? AND finished_at<\\?'],
  ] as const)('reads the %s counts of %s from one index alone, as a range', async (kind, who, index, range) => {
    const submittedBy = who === 'everyone' ? undefined : who;
    const query = t.app.get(JobStatsRepository).windowQuery(kind, new Date(Date.now() - 60 * MINUTE), new Date(), submittedBy, t.app.get(Database).dataSource.manager);
    const [statement, parameters] = query.getQueryAndParameters();
    if (t.database.dialect === 'mysql') {
      const [plan] = await t.dataSource.query(`EXPLAIN ${statement}`, parameters);
      expect(plan).toMatchObject({ key: index, type: 'range' });
      expect(plan.Extra).toMatch(/Using index(;|$)/);
    } else {
      const plan = (await t.dataSource.query(`EXPLAIN QUERY PLAN ${statement}`, parameters)) as { detail: string }[];
      expect(plan.map((row) => row.detail).join('\n')).toMatch(new RegExp(`SEARCH job USING COVERING INDEX ${index} \\(${range}\\)`));
    }
  });
});
