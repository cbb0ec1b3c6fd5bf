import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEntity } from '../src/jobs/job.entity';
import { FILTER_FIELDS, FilterField, NUMERIC_SORT_FIELDS, parseSort, SORT_FIELDS, SortField } from '../src/jobs/job-list-query';
import { JOB_STATUSES } from '../src/jobs/job-status';
import { Database } from '../src/database/database.service';
import { JobsRepository } from '../src/jobs/jobs.repository';
import { Headers, withRoles } from './setup/auth';
import { createTestApp, TestApp } from './setup/create-test-app';
import { expectProblem } from './setup/problem';
import { buildJob, createJobs } from './factories/job.factory';

const LIST = '/job-manager/jobs';
const BASE = Date.parse('2026-11-01T00:00:00.000Z');

/** 60 jobs spread over every filterable value; some share createdAt so ties must break on id. */
function seedJobs() {
  return Array.from({ length: 60 }, (_, i) =>
    buildJob({
      status: JOB_STATUSES[i % JOB_STATUSES.length],
      queue: ['default', 'imports', 'exports', 'Imports'][i % 4],
      contract: ['c-alpha', 'c-beta', 'c-gamma'][i % 3],
      contractType: ['INPUT', 'OUTPUT', 'MEDIATION', 'CONNECTION'][i % 4],
      contractAction: ['import', 'export'][i % 2],
      contractActionTrigger: ['ON_DEMAND', 'SCHEDULED', 'EVENT'][i % 3],
      actor: ['ACME', 'GLOBEX'][i % 2],
      submittedBy: ['alice', 'bob', 'carol'][i % 3],
      workflowTemplateId: ['7', '10', '2'][i % 3],
      workflowTemplateName: ['import-orders', 'send-invoices'][i % 2],
      workflowTemplateRevision: ['3', '12'][i % 2],
      extIPID: i % 4 === 0 ? `ext-${i}` : null,
      lcid: `lcid-${i % 6}`,
      resubmittedFrom: i % 5 === 1 ? String(1 + (i % 2)) : null,
      createdAt: new Date(BASE + Math.floor(i / 2) * 60_000),
      updatedAt: new Date(BASE + ((i * 37) % 60) * 60_000),
    }),
  );
}

function compare(field: SortField, a: JobEntity, b: JobEntity): number {
  const left = a[field];
  const right = b[field];
  if (left instanceof Date && right instanceof Date) return left.getTime() - right.getTime();
  if (NUMERIC_SORT_FIELDS.includes(field)) return Number(left) - Number(right);
  return String(left) < String(right) ? -1 : String(left) > String(right) ? 1 : 0;
}

function expectedOrder(jobs: JobEntity[], field: SortField, descending: boolean): string[] {
  const sign = descending ? -1 : 1;
  return [...jobs]
    .sort((a, b) => sign * (compare(field, a, b) || Number(a.id) - Number(b.id)))
    .map((job) => String(job.id));
}

describe('job listing', () => {
  let t: TestApp;
  let admin: Headers;
  let jobs: JobEntity[];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await withRoles('lister', ['Administrators']);
    jobs = await createJobs(t, seedJobs());
  });

  afterAll(async () => {
    await t.close();
  });

  const list = (query: Record<string, string>, headers: Headers = admin) =>
    request(t.server).get(t.path(LIST)).query(query).set(headers);

  async function walk(first: Record<string, string>, headers: Headers = admin, between?: () => Promise<void>) {
    const ids: string[] = [];
    let response = await list(first, headers).expect(200);
    ids.push(...response.body.jobs.map((job: { id: string }) => job.id));
    while (response.body.next) {
      await between?.();
      response = await request(t.server).get(response.body.next).set(headers).expect(200);
      ids.push(...response.body.jobs.map((job: { id: string }) => job.id));
    }
    return ids;
  }

  it('answers the newest first by default, with Data One job objects', async () => {
    const response = await list({}).expect(200);
    expect(response.body.jobs).toHaveLength(60);
    expect(response.body.next).toBeUndefined();
    expect(response.body.total).toBeUndefined();
    expect(response.body.jobs.map((job: { id: string }) => job.id)).toEqual(expectedOrder(jobs, 'id', true));
    expect(Object.keys(response.body.jobs[0]).slice(0, 16)).toEqual([
      'id', 'status', 'statusMessage', 'createdAt', 'updatedAt', 'submittedBy', 'queue', 'actor', 'contract',
      'contractType', 'contractAction', 'contractActionTrigger', 'contractActionWorkflowInstance', 'dfic', 'extIPID',
      'actionVariables',
    ]);
  });

  describe('exact-match filters, each against the set computed here', () => {
    const valueOf = (job: JobEntity, field: FilterField): string | null => {
      const value = job[field];
      return value === null ? null : String(value);
    };

    it.each(FILTER_FIELDS)('%s', async (field) => {
      const sample = jobs.find((job) => valueOf(job, field) !== null) as JobEntity;
      const value = valueOf(sample, field) as string;
      const expected = jobs.filter((job) => valueOf(job, field) === value).map((job) => String(job.id));
      const response = await list({ [field]: value, maxItems: '1000' }).expect(200);
      const ids = response.body.jobs.map((job: { id: string }) => job.id);
      expect(ids.sort()).toEqual(expected.sort());
      expect(ids.length).toBeGreaterThan(0);
    });

    it('is exact: case and trailing spaces count', async () => {
      const imports = jobs.filter((job) => job.queue === 'imports').length;
      expect((await list({ queue: 'imports', maxItems: '1000' })).body.jobs).toHaveLength(imports);
      expect((await list({ queue: 'Imports', maxItems: '1000' })).body.jobs).toHaveLength(
        jobs.filter((job) => job.queue === 'Imports').length,
      );
      expect((await list({ queue: 'imports ', maxItems: '1000' })).body.jobs).toHaveLength(0);
    });

    it('combines filters with AND', async () => {
      const expected = jobs
        .filter((job) => job.contract === 'c-beta' && job.submittedBy === 'bob' && job.status === 'SUSPENDED')
        .map((job) => String(job.id));
      const response = await list({ contract: 'c-beta', submittedBy: 'bob', status: 'SUSPENDED', maxItems: '1000' });
      expect(response.body.jobs.map((job: { id: string }) => job.id).sort()).toEqual(expected.sort());
    });

    it('bounds time: From inclusive, To exclusive, with offsets', async () => {
      const from = new Date(BASE + 10 * 60_000);
      const to = new Date(BASE + 20 * 60_000);
      const expected = jobs.filter((job) => job.createdAt >= from && job.createdAt < to).map((job) => String(job.id));
      const response = await list({
        createdAtFrom: '2026-11-01T01:10:00+01:00',
        createdAtTo: to.toISOString(),
        maxItems: '1000',
      });
      expect(response.body.jobs.map((job: { id: string }) => job.id).sort()).toEqual(expected.sort());
      const updated = jobs.filter((job) => job.updatedAt >= from).map((job) => String(job.id));
      const byUpdate = await list({ updatedAtFrom: from.toISOString(), maxItems: '1000' });
      expect(byUpdate.body.jobs.map((job: { id: string }) => job.id).sort()).toEqual(updated.sort());
    });

    it('reads an offset whose + arrived unencoded as a space', async () => {
      const response = await request(t.server).get(`${t.path(LIST)}?createdAtFrom=2026-11-01T01:10:00+01:00&maxItems=1000`).set(admin);
      expect(response.status).toBe(200);
      expect(response.body.jobs.length).toBe(jobs.filter((job) => job.createdAt.getTime() >= BASE + 10 * 60_000).length);
    });
  });

  describe('sorting and keyset paging', () => {
    const cases = SORT_FIELDS.flatMap((field) => [
      [field, false],
      [field, true],
    ]) as [SortField, boolean][];

    it.each(cases)('walks %s (descending: %s) page by page, every job exactly once, in order', async (field, descending) => {
      const ids = await walk({ sort: `${descending ? '-' : '+'}${field}`, maxItems: '7' });
      expect(ids).toEqual(expectedOrder(jobs, field, descending));
    });

    it('accepts a comma-separated sort and breaks every tie on id', async () => {
      const ids = await walk({ sort: '-status,+createdAt', maxItems: '5' });
      const expected = [...jobs]
        .sort((a, b) => -compare('status', a, b) || compare('createdAt', a, b) || Number(b.id) - Number(a.id))
        .map((job) => String(job.id));
      expect(ids).toEqual(expected);
    });

    it('keeps every filter, maxItems and sort in next, and drops it on the last page', async () => {
      const first = await list({ contract: 'c-alpha', sort: '+createdAt', maxItems: '4', includeTotal: 'true' }).expect(200);
      const next = new URL(first.body.next, 'http://host');
      expect(next.pathname).toBe('/ghibli-rest/v2/job-manager/jobs');
      expect(Object.fromEntries(next.searchParams)).toMatchObject({
        contract: 'c-alpha',
        sort: '+createdAt',
        maxItems: '4',
        includeTotal: 'true',
        cursor: expect.any(String),
      });
      const all = await walk({ contract: 'c-alpha', sort: '+createdAt', maxItems: '4' });
      expect(all).toHaveLength(20);
    });

    it('adds the total of all matches when asked', async () => {
      const response = await list({ contract: 'c-gamma', maxItems: '3', includeTotal: 'true' }).expect(200);
      expect(response.body.total).toBe(20);
      expect(response.body.jobs).toHaveLength(3);
    });

    it('yields every job exactly once while new jobs are submitted and others updated during the walk', async () => {
      for (const sort of ['-id', '+id', '+createdAt', '-contract']) {
        const before = (await list({ maxItems: '1000' })).body.jobs.map((job: { id: string }) => job.id) as string[];
        let round = 0;
        const seen = await walk({ sort, maxItems: '9' }, admin, async () => {
          round++;
          await createJobs(t, [buildJob({ contract: 'c-walk', createdAt: new Date(), updatedAt: new Date() })]);
          // Changes that move no job along this sort: its status and progress, not its sort key.
          await t.dataSource.query("UPDATE jobs SET status = 'RUNNING', status_message = ? WHERE id = ?", [
            `walk ${round}`,
            before[round],
          ]);
        });
        expect(new Set(seen).size, sort).toBe(seen.length);
        for (const id of before) expect(seen, `${sort}: job ${id}`).toContain(id);
      }
    });
  });

  describe('refusals', () => {
    it.each([
      [{ maxItems: '0' }, 'maxItems'],
      [{ maxItems: '1001' }, 'maxItems'],
      [{ maxItems: 'ten' }, 'maxItems'],
      [{ sort: '+nope' }, 'sort'],
      [{ sort: '+extIPID' }, 'sort'],
      [{ status: 'DONE' }, 'status'],
      [{ contractType: 'input' }, 'contractType'],
      [{ contractActionTrigger: 'CRON' }, 'contractActionTrigger'],
      [{ id: 'abc' }, 'id'],
      [{ id: '0' }, 'id'],
      [{ workflowTemplateId: '7a' }, 'workflowTemplateId'],
      [{ createdAtFrom: '2026-11-01' }, 'createdAtFrom'],
      [{ createdAtTo: '2026-13-45T10:00:00Z' }, 'createdAtTo'],
      [{ updatedAtFrom: 'yesterday' }, 'updatedAtFrom'],
      [{ includeTotal: 'yes' }, 'includeTotal'],
      [{ unknownFilter: 'x' }, 'unknownFilter'],
    ])('400 for %j naming %s', async (query, field) => {
      const response = await list(query as Record<string, string>);
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });

    it('400 INVALID_CURSOR for a tampered cursor', async () => {
      const first = await list({ maxItems: '2' }).expect(200);
      const next = new URL(first.body.next, 'http://host');
      const cursor = next.searchParams.get('cursor') as string;
      const [body, signature] = cursor.split('.');
      const forged = JSON.parse(Buffer.from(body, 'base64url').toString());
      forged.v = ['1'];
      next.searchParams.set('cursor', `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`);
      expectProblem(await request(t.server).get(`${next.pathname}${next.search}`).set(admin), 400, 'INVALID_CURSOR');
    });

    it('400 INVALID_CURSOR for a cursor reused with other filters or sort', async () => {
      const first = await list({ maxItems: '2', contract: 'c-alpha' }).expect(200);
      const cursor = new URL(first.body.next, 'http://host').searchParams.get('cursor') as string;
      expectProblem(await list({ maxItems: '2', contract: 'c-beta', cursor }), 400, 'INVALID_CURSOR');
      expectProblem(await list({ maxItems: '2', contract: 'c-alpha', sort: '+id', cursor }), 400, 'INVALID_CURSOR');
    });
  });

  describe('the index a page runs on', () => {
    const criteria = { equals: { status: 'COMPLETED' }, createdAt: {}, updatedAt: {} };

    it('forces the filter\'s (column, id) index on MySQL/MariaDB and hints nothing on SQLite', async () => {
      const query = t.app.get(JobsRepository).pageQuery(criteria, parseSort('-id'), ['1000'], 10, t.app.get(Database).dataSource.manager);
      const sql = query.getQuery();
      if (t.database.dialect === 'mysql') {
        expect(sql).toContain('FORCE INDEX (`IDX_jobs_status_id`)');
        // A range over (status, id) that starts at the cursor: `ref` on status would read every row above it.
        const [statement, parameters] = query.getQueryAndParameters();
        const [plan] = await t.dataSource.query(`EXPLAIN ${statement}`, parameters);
        expect(plan).toMatchObject({ key: 'IDX_jobs_status_id', type: 'range' });
      } else {
        expect(sql).not.toMatch(/INDEX/);
      }
    });

    it('leaves a page without a matching index to the optimizer', () => {
      const sql = t.app.get(JobsRepository).pageQuery(criteria, parseSort('-createdAt'), undefined, 10, t.app.get(Database).dataSource.manager).getQuery();
      expect(sql).not.toMatch(/INDEX/);
    });
  });

  describe('who sees what', () => {
    it('shows a caller without JOBS_ALL only its own jobs', async () => {
      const t2 = await createTestApp({ env: { AUTH_PERMISSIONS: '{"JOBS_ALL":["Administrators"]}' }, database: t.database });
      try {
        const carol = await withRoles('carol', ['Users']);
        const response = await request(t2.server).get(t2.path(LIST)).query({ maxItems: '1000' }).set(carol).expect(200);
        const mine = jobs.filter((job) => job.submittedBy === 'carol').map((job) => String(job.id));
        expect(response.body.jobs.map((job: { id: string }) => job.id).sort()).toEqual(mine.sort());
        const theirs = await request(t2.server).get(t2.path(LIST)).query({ submittedBy: 'alice' }).set(carol).expect(200);
        expect(theirs.body.jobs).toEqual([]);
      } finally {
        await t2.close();
      }
    });

    it('refuses callers without SPENGCEMANJOBS', async () => {
      expectProblem(await list({}, await withRoles('worker', ['Workers'])), 403, 'FORBIDDEN');
    });
  });
});
