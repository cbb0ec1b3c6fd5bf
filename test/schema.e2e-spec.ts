import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../src/database/run-migrations';
import { MIGRATIONS } from '../src/database/migrations';
import { createTestApp, TestApp } from './setup/create-test-app';
import { createTestDatabase, hasMysql } from './setup/test-database';

describe('database schema', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('has applied every migration at start-up', async () => {
    const applied = (await t.dataSource.query('SELECT name FROM schema_migrations')) as { name: string }[];
    expect(applied).toHaveLength(MIGRATIONS.length);
  });

  it('matches the entities exactly after migrations (no drift between entities and migrations)', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('treats a second migration run as a no-op', async () => {
    expect(await runMigrations(t.dataSource)).toEqual([]);
  });

  it('never runs with synchronize', () => {
    expect(t.dataSource.options.synchronize).toBe(false);
  });
});

describe.skipIf(!hasMysql)('migrations with several instances starting at once (MySQL/MariaDB)', () => {
  it('applies each migration once while three instances boot concurrently on one database', async () => {
    const database = await createTestDatabase();
    try {
      const apps = await Promise.all([1, 2, 3].map(() => createTestApp({ database })));
      const applied = (await apps[0].dataSource.query('SELECT name FROM schema_migrations')) as { name: string }[];
      expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
      await Promise.all(apps.map((app) => app.close()));
    } finally {
      await database.drop();
    }
  });
});
