import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export interface TestDatabase {
  /** DATABASE_URL for the app under test. */
  url: string;
  dialect: 'sqlite' | 'mysql';
  drop(): Promise<void>;
}

function mysqlBaseUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  return url && /^(mysql|mariadb):\/\//.test(url) ? url : undefined;
}

export function testDatabaseDialect(): 'sqlite' | 'mysql' {
  return mysqlBaseUrl() ? 'mysql' : 'sqlite';
}

/** `describe.skipIf(!hasMysql)` for tests that only make sense on MySQL/MariaDB. */
export const hasMysql = testDatabaseDialect() === 'mysql';

/**
 * A fresh, empty database for one test file: a new SQLite file in a temp folder, or a new
 * database on the TEST_DATABASE_URL server, so files can run in parallel without sharing rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = mysqlBaseUrl();
  if (!base) {
    const folder = mkdtempSync(join(tmpdir(), 'gateway-test-'));
    return {
      url: `sqlite:${join(folder, 'gateway.sqlite')}`,
      dialect: 'sqlite',
      drop: async () => rmSync(folder, { recursive: true, force: true }),
    };
  }
  const name = `gw_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const server = new URL(base);
  server.pathname = '/';
  const admin = await createConnection({ uri: server.toString() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dialect: 'mysql',
    drop: async () => {
      const connection = await createConnection({ uri: server.toString() });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}
