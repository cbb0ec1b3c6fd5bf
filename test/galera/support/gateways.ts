import { createConnection } from 'mysql2/promise';
import { bearer } from '../../setup/auth';
import { createTestApp, TestApp } from '../../setup/create-test-app';
import { GaleraCluster } from '../../setup/galera-cluster';
import type { TestDatabase } from '../../setup/test-database';

/** A fresh database on the cluster, reached through one node per gateway. */
export async function clusterDatabase(cluster: GaleraCluster, name: string): Promise<TestDatabase[]> {
  await cluster.nodes[0].query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  // The other nodes apply the DDL a moment later: a gateway connecting at once could find no database (seen in CI).
  for (const node of cluster.nodes) {
    await node.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name], { causal: true });
  }
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

/** A fresh cluster serving one listening gateway per node, and an administrator's bearer token for them. */
export interface ServedCluster {
  cluster: GaleraCluster;
  apps: TestApp[];
  urls: string[];
  authorization: string;
  /** Closes the gateways, then destroys the cluster. */
  stop(): Promise<void>;
}

/**
 * Starts a cluster, creates database `name` on it and one gateway per node with `env`; `nodesFor` may
 * rewrite the databases' URLs (e.g. failoverDatabases). Whatever started is stopped again on a failure.
 */
export async function servedCluster(
  name: string,
  options: { env?: Record<string, string>; nodesFor?: (cluster: GaleraCluster, databases: TestDatabase[]) => TestDatabase[] } = {},
): Promise<ServedCluster> {
  const cluster = await GaleraCluster.start();
  let apps: TestApp[] = [];
  const stop = async () => {
    await Promise.all(apps.map((app) => app.close()));
    await cluster.destroy();
  };
  try {
    const databases = await clusterDatabase(cluster, name);
    apps = await gatewayPerNode(options.nodesFor ? options.nodesFor(cluster, databases) : databases, options.env);
    const urls = await Promise.all(apps.map((app) => app.listen()));
    const authorization = (await bearer({ sub: `${name}-admin`, roles: ['Administrators'] }, { expiresIn: '10m' })).Authorization;
    return { cluster, apps, urls, authorization, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
