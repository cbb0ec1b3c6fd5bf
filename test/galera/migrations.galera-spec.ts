import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/database/migrations';
import { canRunGalera, GaleraCluster } from '../setup/galera-cluster';
import { clusterDatabase, gatewayPerNode } from './support/gateways';

describe.skipIf(!canRunGalera)('migrations from three gateways starting at once, one per Galera node', () => {
  let cluster: GaleraCluster;

  beforeAll(async () => {
    cluster = await GaleraCluster.start();
  });

  afterAll(async () => {
    await cluster?.destroy();
  });

  it.each([1, 2, 3])('applies each migration exactly once (round %i)', async (round) => {
    const databases = await clusterDatabase(cluster, `gw_migrations_${round}`);
    const started = Date.now();
    // No boot retry: a migration that failed once must fail the test, not be rescued by TypeORM's retry.
    const apps = await gatewayPerNode(databases, { DATABASE_CONNECT_RETRIES: '0' });
    console.log(`galera: three gateways booted and migrated in ${Date.now() - started} ms`);
    try {
      for (const app of apps) {
        await app.dataSource.query('SET SESSION wsrep_sync_wait = 1');
        const applied = (await app.dataSource.query('SELECT name FROM schema_migrations ORDER BY id')) as { name: string }[];
        expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
        const pending = await app.dataSource.driver.createSchemaBuilder().log();
        expect(pending.upQueries.map((query) => query.query)).toEqual([]);
      }
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await databases[0].drop();
    }
  });
});
