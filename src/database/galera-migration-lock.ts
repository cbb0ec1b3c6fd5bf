import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { DatabaseUnavailableError, isRetryableConflict, isUniqueViolation } from './database-errors';

const LOCK_TABLE = 'schema_migrations_lock';
const STALE_AFTER_SECONDS = 120;
const HEARTBEAT_MS = 15_000;

/** True on a Galera node (`wsrep_on=ON`), where GET_LOCK is node-local (docs/galera.md, "What the gateway does differently"). */
export async function isGaleraNode(runner: QueryRunner): Promise<boolean> {
  const rows = (await runner.query("SHOW VARIABLES LIKE 'wsrep_on'")) as { Value?: string }[];
  return rows[0]?.Value === 'ON';
}

/**
 * A cluster-wide lock: a row whose INSERT certifies on every node, so exactly one holder wins; a row
 * whose heartbeat stopped STALE_AFTER_SECONDS ago (its holder crashed) is taken over.
 */
export async function withLockRow<T>(runner: QueryRunner, name: string, timeoutSeconds: number, work: () => Promise<T>): Promise<T> {
  await runner.query(
    `CREATE TABLE IF NOT EXISTS ${LOCK_TABLE} (name VARCHAR(64) NOT NULL PRIMARY KEY, holder CHAR(36) NOT NULL, heartbeat_at DATETIME(3) NOT NULL) ENGINE=InnoDB`,
  );
  const holder = randomUUID();
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (!(await tryInsert(runner, name, holder))) {
    if (Date.now() > deadline) throw new DatabaseUnavailableError(`could not acquire the migration lock row "${name}" within ${timeoutSeconds}s`);
    await runner.query(`DELETE FROM ${LOCK_TABLE} WHERE name = ? AND heartbeat_at < NOW(3) - INTERVAL ${STALE_AFTER_SECONDS} SECOND`, [name]);
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 200));
  }
  const heartbeat = setInterval(() => {
    runner.query(`UPDATE ${LOCK_TABLE} SET heartbeat_at = NOW(3) WHERE name = ? AND holder = ?`, [name, holder]).catch(() => undefined);
  }, HEARTBEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    await runner.query(`DELETE FROM ${LOCK_TABLE} WHERE name = ? AND holder = ?`, [name, holder]);
  }
}

async function tryInsert(runner: QueryRunner, name: string, holder: string): Promise<boolean> {
  try {
    await runner.query(`INSERT INTO ${LOCK_TABLE} (name, holder, heartbeat_at) VALUES (?, ?, NOW(3))`, [name, holder]);
    return true;
  } catch (error) {
    // 1062: the row is there; 1213: another node's INSERT certified first.
    if (isUniqueViolation(error) || isRetryableConflict(error)) return false;
    throw error;
  }
}
