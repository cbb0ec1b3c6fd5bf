import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { isMysqlFamily } from './create-data-source';

const DEADLOCK_RETRIES = 3;
const RETRYABLE_ERRNOS = new Set([1213, 1205]);

function isRetryable(error: unknown): boolean {
  const driver = (error as { driverError?: { errno?: number }; errno?: number }) ?? {};
  return RETRYABLE_ERRNOS.has(driver.driverError?.errno ?? driver.errno ?? 0);
}

/**
 * Units of work. better-sqlite3 gives each process a single connection, so a transaction that
 * awaits would otherwise swallow statements other requests send meanwhile (and roll them back
 * with it): on SQLite every write and transaction of this process runs one at a time. On
 * MySQL/MariaDB, deadlocks and lock-wait timeouts retry the whole short transaction with jitter
 * before surfacing (as 503).
 */
@Injectable()
export class Database {
  private sqliteWrites: Promise<unknown> = Promise.resolve();
  readonly isMysql: boolean;

  constructor(readonly dataSource: DataSource) {
    this.isMysql = isMysqlFamily(dataSource.options.type);
  }

  /** `isolation` applies on MySQL/MariaDB only; SQLite's single writer is serializable anyway. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    if (!this.isMysql) return this.serialize(() => this.dataSource.transaction(work));
    return this.withRetry(() => (isolation ? this.dataSource.transaction(isolation, work) : this.dataSource.transaction(work)));
  }

  /** A single write statement outside a transaction: serialized on SQLite, direct on MySQL. */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isMysql) return this.serialize(() => work(this.dataSource.manager));
    return work(this.dataSource.manager);
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const result = this.sqliteWrites.then(work, work);
    this.sqliteWrites = result.catch(() => undefined);
    return result;
  }

  private async withRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= DEADLOCK_RETRIES || !isRetryable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt + Math.random() * 20));
      }
    }
  }
}
