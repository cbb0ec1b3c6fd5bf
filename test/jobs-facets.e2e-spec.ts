import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEntity } from '../src/jobs/job.entity';
import { FACET_FIELDS, FACET_VALUE_LIMIT, type FacetField } from '../src/jobs/job-facets';
import { JOB_STATUSES } from '../src/jobs/job-status';
import { Headers, withRoles } from './setup/auth';
import { createTestApp, TestApp } from './setup/create-test-app';
import { expectProblem } from './setup/problem';
import { buildJob, createJobs } from './factories/job.factory';

const LIST = '/job-manager/jobs';
const BASE = Date.parse('2026-11-01T00:00:00.000Z');
const ALL_FACETS = FACET_FIELDS.join(',');

type Counts = Record<string, Record<string, number>>;

/** 70 jobs over every facet value, skewed so counts differ; createdAt one minute apart. */
function seedJobs() {
  return Array.from({ length: 70 }, (_, i) =>
    buildJob({
      status: JOB_STATUSES[(i * i) % JOB_STATUSES.length],
      queue: ['default', 'imports', 'exports', 'Imports', 'default'][i % 5],
      contract: ['c-alpha', 'c-beta', 'c-gamma', 'c-alpha'][i % 4],
      submittedBy: ['alice', 'bob', 'carol', 'alice', 'alice'][i % 5 === 4 ? 4 : i % 3],
      createdAt: new Date(BASE + i * 60_000),
      updatedAt: new Date(BASE + ((i * 37) % 70) * 60_000),
    }),
  );
}

/** What the facets must be: counted here over the jobs the list answered. */
function countBy(jobs: Record<string, string>[], fields: readonly FacetField[]): Counts {
  const counts: Counts = {};
  for (const field of fields) {
    counts[field] = {};
    for (const job of jobs) counts[field][job[field]] = (counts[field][job[field]] ?? 0) + 1;
  }
  return counts;
}

describe('job list facets', () => {
  let t: TestApp;
  let admin: Headers;
  let jobs: JobEntity[];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await withRoles('facet-admin', ['Administrators']);
    jobs = await createJobs(t, seedJobs());
  });

  afterAll(async () => {
    await t.close();
  });

  const list = (query: Record<string, string>, headers: Headers = admin, app: TestApp = t) =>
    request(app.server).get(app.path(LIST)).query(query).set(headers);

  /** Every page of the walk, following next; each page's facets must be the first page's. */
  async function walk(query: Record<string, string>, headers: Headers = admin, app: TestApp = t) {
    const first = await list(query, headers, app).expect(200);
    const listed: Record<string, string>[] = [...first.body.jobs];
    let page = first;
    while (page.body.next) {
      expect(new URL(page.body.next, 'http://host').searchParams.get('facets')).toBe(query.facets);
      page = await request(app.server).get(page.body.next).set(headers).expect(200);
      expect(page.body.facets).toEqual(first.body.facets);
      listed.push(...page.body.jobs);
    }
    return { facets: first.body.facets as Counts, listed, pages: first.body.next ? 2 : 1, first: first.body };
  }

  it('adds no facets unless asked', async () => {
    const response = await list({ maxItems: '5' }).expect(200);
    expect(response.body).not.toHaveProperty('facets');
    expect(response.body).not.toHaveProperty('facetsTruncated');
  });

  it.each([
    [{}],
    [{ status: 'SUBMITTED' }],
    [{ contract: 'c-alpha', queue: 'default' }],
    [{ submittedBy: 'alice', createdAtFrom: new Date(BASE + 10 * 60_000).toISOString(), createdAtTo: new Date(BASE + 50 * 60_000).toISOString() }],
    [{ updatedAtFrom: new Date(BASE + 20 * 60_000).toISOString(), contract: 'c-beta' }],
    [{ queue: 'Imports', sort: '+createdAt' }],
  ])('counts over every page of the filtered list, not the page: %j', async (filters: Record<string, string>) => {
    const { facets, listed, pages } = await walk({ ...filters, facets: ALL_FACETS, maxItems: '6' });
    expect(facets).toEqual(countBy(listed, FACET_FIELDS));
    expect(listed.length).toBeGreaterThan(0);
    if (Object.keys(filters).length === 0) expect(pages).toBe(2);
  });

  it('counts the seeded jobs, exactly (case counts), most frequent first', async () => {
    const response = await list({ facets: 'queue,status', maxItems: '1' }).expect(200);
    const queues = response.body.facets.queue as Record<string, number>;
    expect(queues).toEqual(Object.fromEntries(['default', 'imports', 'exports', 'Imports'].map((q) => [q, jobs.filter((job) => job.queue === q).length])));
    expect(Object.values(queues)).toEqual([...Object.values(queues)].sort((a, b) => b - a));
    expect(Object.keys(response.body.facets)).toEqual(['queue', 'status']);
  });

  it('answers only the facets asked, once each, and a facet on a filtered field holds that value only', async () => {
    const response = await list({ facets: 'status,contract,status', status: 'ERROR' }).expect(200);
    expect(Object.keys(response.body.facets)).toEqual(['status', 'contract']);
    expect(response.body.facets.status).toEqual({ ERROR: jobs.filter((job) => job.status === 'ERROR').length });
  });

  it('answers empty maps when nothing matches', async () => {
    const response = await list({ facets: 'status,queue', contract: 'no-such-contract' }).expect(200);
    expect(response.body).toMatchObject({ jobs: [], facets: { status: {}, queue: {} } });
  });

  it('keeps facets, filters and sort in next, so the cursor stays valid with and without them', async () => {
    const first = await list({ facets: 'status,queue', contract: 'c-beta', maxItems: '3', includeTotal: 'true' }).expect(200);
    const next = new URL(first.body.next, 'http://host');
    expect(Object.fromEntries(next.searchParams)).toMatchObject({ facets: 'status,queue', contract: 'c-beta', maxItems: '3', cursor: expect.any(String) });
    expect(first.body.total).toBe(Object.values(first.body.facets.status as Record<string, number>).reduce((a, b) => a + b, 0));
    next.searchParams.delete('facets');
    const withoutFacets = await request(t.server).get(`${next.pathname}${next.search}`).set(admin).expect(200);
    expect(withoutFacets.body).not.toHaveProperty('facets');
  });

  it('counts only its own jobs for a caller without JOBS_ALL', async () => {
    const t2 = await createTestApp({ env: { AUTH_PERMISSIONS: '{"JOBS_ALL":["Administrators"]}' }, database: t.database });
    try {
      const carol = await withRoles('carol', ['Users']);
      const { facets, listed } = await walk({ facets: ALL_FACETS, maxItems: '4' }, carol, t2);
      const mine = jobs.filter((job) => job.submittedBy === 'carol');
      expect(listed).toHaveLength(mine.length);
      expect(facets).toEqual(countBy(listed, FACET_FIELDS));
      expect(facets.submittedBy).toEqual({ carol: mine.length });
      const theirs = await list({ facets: 'status', submittedBy: 'alice' }, carol, t2).expect(200);
      expect(theirs.body.facets).toEqual({ status: {} });
    } finally {
      await t2.close();
    }
  });

  it.each([
    ['nope'],
    ['status,nope'],
    [''],
    ['status,'],
    ['status,,queue'],
    ['Status'],
    [' status'],
    ['contractAction'],
    ['status,'.repeat(60) + 'queue'],
  ])('400 naming facets for %j', async (facets) => {
    const response = await list({ facets });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain('facets');
  });

  it('400 naming facets when it is repeated instead of comma-separated', async () => {
    const response = await request(t.server).get(`${t.path(LIST)}?facets=status&facets=queue`).set(admin);
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain('facets');
  });
});

describe('job list facets with more values than the bound', () => {
  let t: TestApp;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await withRoles('facet-admin', ['Administrators']);
    const contracts = [
      ...Array.from({ length: FACET_VALUE_LIMIT }, (_, i) => `c-${String(i).padStart(4, '0')}`),
      ...['big-a', 'big-a', 'big-a', 'big-b', 'big-b'],
    ];
    // One INSERT per chunk: a thousand round trips would dominate the suite on MariaDB.
    const rows = contracts.map((contract) => buildJob({ contract }));
    for (let i = 0; i < rows.length; i += 100) {
      await t.dataSource.createQueryBuilder().insert().into('JobEntity').values(rows.slice(i, i + 100)).execute();
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it(`keeps the ${FACET_VALUE_LIMIT} most frequent values, ties by value, and names the facet in facetsTruncated`, async () => {
    const response = await request(t.server).get(t.path(LIST)).query({ facets: 'contract,status', maxItems: '1' }).set(admin).expect(200);
    const contracts = response.body.facets.contract as Record<string, number>;
    expect(Object.keys(contracts)).toHaveLength(FACET_VALUE_LIMIT);
    expect(contracts).toMatchObject({ 'big-a': 3, 'big-b': 2, 'c-0000': 1, [`c-${String(FACET_VALUE_LIMIT - 3).padStart(4, '0')}`]: 1 });
    expect(contracts).not.toHaveProperty(`c-${String(FACET_VALUE_LIMIT - 2).padStart(4, '0')}`);
    expect(response.body.facets.status).toEqual({ SUBMITTED: FACET_VALUE_LIMIT + 5 });
    expect(response.body.facetsTruncated).toEqual(['contract']);
  });
});
