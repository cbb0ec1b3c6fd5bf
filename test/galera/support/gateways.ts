import { createConnection } from 'mysql2/promise';
import { createTestApp, TestApp } from '../../setup/create-test-app';
import type { GaleraCluster } from '../../setup/galera-cluster';
import type { TestDatabase } from '../../setup/test-database';

/** A fresh database on the cluster, reached through one node per gateway. */
export async function clusterDatabase(cluster: GaleraCluster, name: string): Promise<TestDatabase[]> {
  await cluster.nodes[0].query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  return cluster.nodes.map((node) => ({
    url: node.url(name),
    dialect: 'mysql' as const,
    drop: async () => {
      const connection = await createConnection({ uri: node.url(''), connectTimeout: 2000 });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``).finally(() => connection.end());
    },
  }));
}

/** The same databases with a multi-host DATABASE_URL each: all three nodes, gateway i's own node first. */
export function failoverDatabases(cluster: GaleraCluster, databases: TestDatabase[], name: string): TestDatabase[] {
  return databases.map((database, own) => {
    const order = cluster.nodes.map((_, offset) => cluster.nodes[(own + offset) % cluster.nodes.length]);
    return { ...database, url: `mysql://root@${order.map((node) => `127.0.0.1:${node.port}`).join(',')}/${name}` };
  });
}

/** One in-process gateway per node, booted at once (so their migrations race). */
export async function gatewayPerNode(databases: TestDatabase[], env: Record<string, string> = {}): Promise<TestApp[]> {
  const started = await Promise.allSettled(databases.map((database) => createTestApp({ database, env })));
  const apps = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(apps.map((app) => app.close()));
    throw failed.reason;
  }
  return apps;
}
