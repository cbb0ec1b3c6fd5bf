import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';

/**
 * TypeORM options for the configured dialect. `synchronize` is off on purpose and checked again at
 * start-up: the schema only ever changes through migrations (docs/architecture.md). `purpose`
 * 'migrations' leaves out the statement timeout: a migration may rightly run for minutes.
 */
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

  const connection =
    config.replicaUrls.length === 0
      ? { url: config.target.url }
      : {
          replication: {
            master: { url: config.target.url },
            slaves: config.replicaUrls.map((url) => ({ url })),
            // Everything reads the primary unless it asks for a replica (Database.readReplica):
            // only list and detail reads may lag (docs/operations.md, "Read replicas").
            defaultMode: 'master' as const,
            // mysql2 would otherwise drop a node for good after 5 connection errors: the primary
            // after a restart, too. Retry a failed node after a second instead.
            restoreNodeTimeout: 1000,
          },
        };
  return {
    ...common,
    type: 'mysql',
    ...connection,
    poolSize: config.poolSize,
    connectTimeout: config.connectTimeoutMs,
    // mysql2's per-query timeout: a statement on a pooled connection whose server vanished without
    // closing it (a half-open socket) would otherwise wait for TCP keep-alive, for minutes.
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
      // mysql2 captures a stack trace for every query in case it fails: ~2.5 % of a submission's
      // CPU (docs/benchmarks.md). TypeORM's QueryFailedError names the statement instead.
      trace: false,
    },
  };
}
