import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, Migration } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { createDataSource } from './create-data-source';
import { Database } from './database.service';
import { buildDataSourceOptions } from './data-source-options';
import { runMigrations } from './run-migrations';

/** Migrations may outlast the statement timeout: on MySQL/MariaDB they run on a short-lived unbounded data source. */
async function migrate(dataSource: DataSource, options: DataSourceOptions): Promise<Migration[]> {
  if (options.type !== 'mysql' || !options.enableQueryTimeout) return runMigrations(dataSource);
  // showMigrations creates a missing migrations table outside the lock, which races on Galera (docs/galera.md, "What the gateway does differently").
  if ((await hasMigrationsTable(dataSource)) && !(await dataSource.showMigrations())) return [];
  const unbounded = await createDataSource({ ...options, enableQueryTimeout: false, migrationsRun: false });
  try {
    return await runMigrations(unbounded);
  } finally {
    await unbounded.destroy();
  }
}

async function hasMigrationsTable(dataSource: DataSource): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  try {
    return await runner.hasTable(dataSource.options.migrationsTableName ?? 'migrations');
  } finally {
    await runner.release();
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database),
        autoLoadEntities: true,
        migrationsRun: config.database.migrationsRun,
        retryAttempts: config.database.connectRetries,
        retryDelay: 2000,
      }),
      dataSourceFactory: async (options?: DataSourceOptions) => {
        if (!options) throw new Error('TypeORM options are missing');
        if (options.synchronize) throw new Error('synchronize must never be enabled: use migrations');
        // TypeORM's own migrationsRun would skip the cross-instance lock: run them ourselves.
        const dataSource = await createDataSource({ ...options, migrationsRun: false });
        if (options.migrationsRun) {
          const applied = await migrate(dataSource, options);
          if (applied.length > 0) {
            new Logger('Database').log(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
          }
        }
        return dataSource;
      },
    }),
  ],
  providers: [Database],
  exports: [Database],
})
export class DatabaseModule {}
