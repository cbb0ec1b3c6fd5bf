import { testDatabaseDialect } from './test-database';

/** Says once, loudly, which database the e2e suite runs against (and that MySQL-only tests skip). */
export default function announceTestDatabase() {
  const dialect = testDatabaseDialect();
  const line =
    dialect === 'mysql'
      ? 'e2e database: MySQL/MariaDB from TEST_DATABASE_URL (a fresh database per test file)'
      : 'e2e database: SQLite (a fresh file per test file). MySQL-only tests are SKIPPED: set TEST_DATABASE_URL=mysql://... to run them.';
  process.stdout.write(`\n*** ${line} ***\n\n`);
}
