import { loadAppConfig } from '../config/app-config';
import { createDataSource } from './create-data-source';
import { buildDataSourceOptions } from './data-source-options';
import { runMigrations } from './run-migrations';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL and exits. */
async function main() {
  const config = loadAppConfig();
  const dataSource = await createDataSource(buildDataSourceOptions(config.database, [], 'migrations'));
  try {
    const applied = await runMigrations(dataSource);
    console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'No pending migrations.');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
