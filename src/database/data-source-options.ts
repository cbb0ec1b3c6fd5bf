import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';
import { NodeFailover, probeNode } from './node-failover';

/** TypeORM options per dialect; never `synchronize`; 'migrations' has no statement timeout (docs/architecture.md, "Database"). */
export function buildDataSourceOptions(
  config: DatabaseConfig,
  entities: DataSourceOptions['entities'] = [],
  purpose: 'serving' | 'migrations' = 'serving',
): DataSourceOptions {
  const common = {
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;

  if (config.target.dialect === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: config.target.file,
      timeout: config.busyTimeoutMs,
      enableWAL: config.target.file !== ':memory:',
      prepareDatabase: (db: { pragma(statement: string): unknown }) => {
        db.pragma(`busy_timeout = ${config.busyTimeoutMs}`);
        db.pragma('synchronous = NORMAL');
      },
    };
  }

  const { nodeUrls } = config.target;
  // Several nodes in DATABASE_URL: each new connection goes to the first one that serves (docs/galera.md, "Several nodes in DATABASE_URL").
  const failover =
    nodeUrls.length > 1 ? new NodeFailover(nodeUrls, (node) => probeNode(node, config.connectTimeoutMs)) : undefined;
  const connection =
    config.replicaUrls.length === 0
      ? { url: config.target.url }
      : {
          replication: {
            master: { url: config.target.url },
            slaves: config.replicaUrls.map((url) => ({ url })),
            // Only Database.readReplica reads may lag (docs/operations.md, "Read replicas").
            defaultMode: 'master' as const,
            // mysql2 would otherwise drop a node for good after 5 connection errors.
            restoreNodeTimeout: 1000,
          },
        };
  return {
    ...common,
    type: 'mysql',
    ...connection,
    ...(failover ? { subscribers: [failover.subscriber()] } : {}),
    poolSize: config.poolSize,
    connectTimeout: config.connectTimeoutMs,
    // A half-open socket would otherwise wait minutes for TCP keep-alive (docs/operations.md).
    ...(purpose === 'serving' && config.statementTimeoutMs > 0
      ? { enableQueryTimeout: true, maxQueryExecutionTime: config.statementTimeoutMs }
      : {}),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    extra: {
      // Fail fast instead of queueing forever when the pool is exhausted or the server is gone.
      queueLimit: config.poolSize * 50,
      enableKeepAlive: true,
      keepAliveInitialDelay: 10000,
      // A stack trace per query cost ~2.5 % of a submission's CPU (docs/benchmarks.md).
      trace: false,
      ...(failover ? { stream: failover.openStream } : {}),
    },
  };
}
