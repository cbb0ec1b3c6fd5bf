import request from 'supertest';
import type { QueryDeepPartialEntity } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../src/database/database.service';
import { EntitySql } from '../src/database/entity-sql';
import { JobEntity } from '../src/jobs/job.entity';
import { asAdmin } from './setup/auth';
import { createTestApp, TestApp } from './setup/create-test-app';
import { buildJob } from './factories/job.factory';

describe('units of work', () => {
  let t: TestApp;
  let database: Database;

  beforeAll(async () => {
    t = await createTestApp();
    database = t.app.get(Database);
  });

  afterAll(async () => {
    await t.close();
  });

  const names = async () =>
    ((await t.dataSource.query("SELECT name FROM gateway_settings WHERE name LIKE 'unit-%' ORDER BY name")) as { name: string }[]).map(
      (row) => row.name,
    );

  it('keeps a write sent during another request\'s transaction out of it when that transaction rolls back', async () => {
    let concurrent: Promise<unknown> | undefined;
    const rolledBack = database
      .transaction(async (manager) => {
        await manager.query("INSERT INTO gateway_settings (name, value) VALUES ('unit-rolled-back', 'x')");
        // Another request writes while this transaction is open and waiting on something.
        concurrent = database.write((other) =>
          other.query("INSERT INTO gateway_settings (name, value) VALUES ('unit-kept', 'y')"),
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('roll back');
      })
      .catch((error: Error) => error.message);
    expect(await rolledBack).toBe('roll back');
    await concurrent;
    expect(await names()).toEqual(['unit-kept']);
  });

  /** Opens a transaction that inserts a job and waits; `during` runs while it is open; then it rolls back. */
  async function duringUncommittedInsert<T>(during: (id: string) => Promise<T>): Promise<T> {
    let inserted!: (id: string) => void;
    const insertedId = new Promise<string>((resolve) => (inserted = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const transaction = database
      .transaction(async (manager) => {
        const result = await manager.insert(JobEntity, buildJob({ submittedBy: 'uncommitted' }) as QueryDeepPartialEntity<JobEntity>);
        inserted(String(result.identifiers[0].id));
        await released;
        throw new Error('roll back');
      })
      .catch((error: Error) => error.message);
    const id = await insertedId;
    const seen = during(id);
    // A read queued behind the transaction (rather than answered from a snapshot) must not deadlock the test.
    await Promise.race([seen, new Promise((resolve) => setTimeout(resolve, 200))]);
    release();
    expect(await transaction).toBe('roll back');
    return seen;
  }

  it('never lets a read see another request\'s uncommitted rows (read, readReplica)', async () => {
    const found = await duringUncommittedInsert(async (id) => [
      await database.read((manager) => manager.findOneBy(JobEntity, { id })),
      await database.readReplica((manager) => manager.countBy(JobEntity, { submittedBy: 'uncommitted' })),
    ]);
    expect(found).toEqual([null, 0]);
  });

  it('never shows a job another request is still inserting to a client, and shows it once committed', async () => {
    const answers = await duringUncommittedInsert(async (id) => [
      (await request(t.server).get(t.path(`/job-manager/jobs/${id}`)).set(asAdmin())).status,
      (await request(t.server).get(t.path('/job-manager/jobs?submittedBy=uncommitted')).set(asAdmin())).body.jobs?.length,
    ]);
    expect(answers).toEqual([404, 0]);
    const committed = await database.transaction((manager) => manager.insert(JobEntity, buildJob({ submittedBy: 'committed' }) as QueryDeepPartialEntity<JobEntity>));
    const id = String(committed.identifiers[0].id);
    expect((await request(t.server).get(t.path(`/job-manager/jobs/${id}`)).set(asAdmin())).status).toBe(200);
  });

  it('runs many concurrent transactions without interference, each all-or-nothing', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        database
          .transaction(async (manager) => {
            await manager.query('INSERT INTO gateway_settings (name, value) VALUES (?, ?)', [`unit-tx-${index}-a`, 'a']);
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
            await manager.query('INSERT INTO gateway_settings (name, value) VALUES (?, ?)', [`unit-tx-${index}-b`, 'b']);
            if (index % 2 === 1) throw new Error('odd ones roll back');
          })
          .catch(() => undefined),
      ),
    );
    const written = (await names()).filter((name) => name.startsWith('unit-tx-'));
    expect(written).toHaveLength(20);
    expect(written.every((name) => Number(name.split('-')[2]) % 2 === 0)).toBe(true);
  });

  it('writes and reads jobs exactly as the ORM does: every column, each dialect\'s dates, JSON, booleans and nulls', async () => {
    const sql = new EntitySql(t.dataSource, JobEntity);
    const repository = t.dataSource.getRepository(JobEntity);
    const full = buildJob({
      ipid: 'entity-sql-hand-written',
      extIPID: 'x',
      userAttrs: { team: 'blue' },
      actionVariables: { date: '2026-11-30', nested: { list: [1, 'two', null, true] } },
      timeoutSeconds: 60,
      abortRequested: true,
      leaseToken: 'token',
      leaseExpiresAt: new Date('2026-11-30T10:11:12.345Z'),
      startedAt: new Date('2026-11-30T10:00:00.001Z'),
      result: { ok: true },
      tags: ['a'],
      createdAt: new Date('2026-11-30T09:08:07.654Z'),
    });
    await database.write((manager) => manager.query(sql.insertStatement, sql.insertParameters(full)));
    const ormWritten = buildJob({ ipid: 'entity-sql-orm', extIPID: 'y', actionVariables: { n: 1.5 } });
    await repository.insert(ormWritten as QueryDeepPartialEntity<JobEntity>);

    const read = async (ipid: string) => (await sql.find(t.dataSource.manager, sql.selectWhere('ipid'), [ipid]))[0];
    const hydrated = await read('entity-sql-hand-written');
    for (const [ipid, job] of [['entity-sql-hand-written', hydrated], ['entity-sql-orm', await read('entity-sql-orm')]] as const) {
      expect(job).toBeInstanceOf(JobEntity);
      expect(job).toEqual(await repository.findOneByOrFail({ ipid }));
    }
    // BIGINT columns come back as numbers from SQLite, from the ORM as from here.
    const { workflowTemplateId, workflowTemplateRevision, ...rest } = full;
    expect(hydrated).toMatchObject(rest);
    expect([String(hydrated.workflowTemplateId), String(hydrated.workflowTemplateRevision)]).toEqual([workflowTemplateId, workflowTemplateRevision]);
  });
});
