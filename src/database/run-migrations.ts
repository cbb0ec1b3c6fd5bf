import type { DataSource, Migration } from 'typeorm';
import { isMysqlFamily } from './create-data-source';
import { DatabaseUnavailableError } from './database-errors';
import { isGaleraNode, withLockRow } from './galera-migration-lock';

const MIGRATION_LOCK = 'ghibli_gateway_migrations';
const MIGRATION_LOCK_TIMEOUT_SECONDS = 120;

/** Runs pending migrations under a cluster-wide lock on MySQL/MariaDB, so concurrent starts apply each once. */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  if (!isMysqlFamily(dataSource.options.type)) {
    return dataSource.runMigrations({ transaction: 'all' });
  }
  const lockRunner = dataSource.createQueryRunner();
  try {
    // MySQL commits DDL implicitly, so a wrapping transaction would promise more than it can keep.
    const run = () => dataSource.runMigrations({ transaction: 'none' });
    if (await isGaleraNode(lockRunner)) return await withLockRow(lockRunner, MIGRATION_LOCK, MIGRATION_LOCK_TIMEOUT_SECONDS, run);
    const [row] = (await lockRunner.query('SELECT GET_LOCK(?, ?) AS acquired', [
      MIGRATION_LOCK,
      MIGRATION_LOCK_TIMEOUT_SECONDS,
    ])) as { acquired: number | string | null }[];
    if (Number(row?.acquired) !== 1) {
      throw new DatabaseUnavailableError(
        `could not acquire the migration lock "${MIGRATION_LOCK}" within ${MIGRATION_LOCK_TIMEOUT_SECONDS}s`,
      );
    }
    try {
      return await run();
    } finally {
      await lockRunner.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]);
    }
  } finally {
    await lockRunner.release();
  }
}
