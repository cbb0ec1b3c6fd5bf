import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EntityManager } from 'typeorm';
import { JobSubmissionsService, type SubmitOutcome } from '../src/jobs';
import { JobInsertsRepository } from '../src/jobs/job-inserts.repository';
import type { Principal } from '../src/common/principal';
import { asAdmin } from './setup/auth';
import { actionInQueue } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';

const ALICE: Principal = { name: 'alice', roles: ['Administrators'], via: 'jwt' };

describe('group commit of submissions (SUBMIT_BATCH_SLOTS=1)', () => {
  let t: TestApp;
  let submissions: JobSubmissionsService;
  let inserts: JobInsertsRepository;

  beforeAll(async () => {
    t = await createTestApp({ env: { SUBMIT_BATCH_SLOTS: '1' } });
    await actionInQueue(t, 'batched', asAdmin());
    submissions = t.app.get(JobSubmissionsService);
    inserts = t.app.get(JobInsertsRepository);
  });

  afterAll(async () => {
    await t.close();
  });

  const submitAll = (keys: (string | undefined)[]): Promise<SubmitOutcome[]> =>
    Promise.all(keys.map((extIPID, index) => submissions.submit(ALICE, { contractName: 'c-batched', actionName: 'run', extIPID }, `call-${index}`)));

  it('serves many submissions with one INSERT statement, each answered as if alone', async () => {
    const batches = vi.spyOn(inserts, 'insertBatch');
    const statements = vi.spyOn(EntityManager.prototype, 'query');
    try {
      const keys = Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? `batch-${index}` : undefined));
      const outcomes = await submitAll(keys);
      expect(outcomes.every((outcome) => outcome.kind === 'created')).toBe(true);
      expect(new Set(outcomes.map((outcome) => String(outcome.job.id))).size).toBe(50);
      // The first goes alone at once; the 49 that arrived meanwhile share the next transaction.
      expect(batches.mock.calls.map(([items]) => items.length)).toEqual([1, 49]);
      const jobInserts = statements.mock.calls.filter(([sql]) => /^INSERT INTO [`"]?jobs[`"]?/.test(String(sql)));
      expect(jobInserts).toHaveLength(t.dataSource.options.type === 'better-sqlite3' ? 50 : 2);
      const rows = (await t.dataSource.query("SELECT COUNT(*) AS n FROM job_events WHERE type = 'job.submitted'")) as { n: number | string }[];
      expect(Number(rows[0].n)).toBeGreaterThanOrEqual(50);
    } finally {
      batches.mockRestore();
      statements.mockRestore();
    }
  });

  it('sends a lone submission as one INSERT into jobs and no SELECT, and answers a lone duplicate with the same job', async () => {
    const statements = vi.spyOn(EntityManager.prototype, 'query');
    try {
      const [created] = await submitAll(['alone']);
      const sent = statements.mock.calls.map(([sql]) => String(sql).replace(/[`"]/g, '').split(/\s+/).slice(0, 3).join(' '));
      expect(sent.filter((statement) => / jobs$|^SELECT/.test(statement))).toEqual(['INSERT INTO jobs']);
      const [again] = await submitAll(['alone']);
      expect(created.kind).toBe('created');
      expect(again.kind).toBe('duplicate');
      expect(String(again.job.id)).toBe(String(created.job.id));
    } finally {
      statements.mockRestore();
    }
  });

  it('lets the first in arrival order win a duplicate inside one batch', async () => {
    const outcomes = await submitAll(['lead', ...Array.from({ length: 20 }, () => 'same-key')]);
    const [, winner, ...rest] = outcomes;
    expect(winner.kind).toBe('created');
    expect(winner.job.lcid).toBe('call-1');
    for (const outcome of rest) {
      expect(outcome.kind).toBe('duplicate');
      expect(String(outcome.job.id)).toBe(String(winner.job.id));
    }
  });

  it('fails only the request whose row the database refuses; its neighbours are created', async () => {
    const real = inserts.insertBatch.bind(inserts);
    const refuse = vi.spyOn(inserts, 'insertBatch').mockImplementation(async (items) => {
      if (items.some((item) => item.job.extIPID === 'poison')) throw new Error('the database refused a row');
      return real(items);
    });
    try {
      const settled = await Promise.allSettled(
        ['first', 'good-1', 'poison', 'good-2'].map((extIPID) => submissions.submit(ALICE, { contractName: 'c-batched', actionName: 'run', extIPID }, 'x')),
      );
      expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      // Alone, then the three that waited together, then those three one by one.
      expect(refuse.mock.calls.map(([items]) => items.length)).toEqual([1, 3, 1, 1, 1]);
    } finally {
      refuse.mockRestore();
    }
  });
});
