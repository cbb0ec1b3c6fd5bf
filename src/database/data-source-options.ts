import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';

/**
 * TypeORM options for the configured dialect. `synchronize` is off on purpose and checked again at
 * start-up: the schema only ever changes through migrations (docs/architecture.md).
 */
export function buildDataSourceOptions(config: DatabaseConfig, entities: DataSourceOptions['entities'] = []): DataSourceOptions {
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

  return {
    ...common,
    type: 'mysql',
    url: config.target.url,
    poolSize: config.poolSize,
    connectTimeout: config.connectTimeoutMs,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    extra: {
      // Fail fast instead of queueing forever when the pool is exhausted or the server is gone.
      queueLimit: config.poolSize * 50,
      enableKeepAlive: true,
      keepAliveInitialDelay: 10000,
    },
  };
}
