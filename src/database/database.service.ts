import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { isMysqlFamily } from './create-data-source';
import { isDatabaseUnavailable } from './database-errors';
import { EntitySql } from './entity-sql';

const DEADLOCK_RETRIES = 3;
const RETRYABLE_ERRNOS = new Set([1213, 1205]);

export interface PoolStats {
  /** primary, or replicaN in the order of DATABASE_REPLICA_URLS. */
  name: string;
  open: number;
  idle: number;
  waiting: number;
  max: number;
}

/** The parts of a mysql2 pool that tell its usage: mysql2 has no public statistics API. */
interface Mysql2Pool {
  config?: { connectionLimit?: number };
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

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
  private readonly entityStatements = new Map<EntityTarget<ObjectLiteral>, EntitySql<ObjectLiteral>>();
  readonly isMysql: boolean;
  readonly hasReplicas: boolean;

  constructor(readonly dataSource: DataSource) {
    this.isMysql = isMysqlFamily(dataSource.options.type);
    this.hasReplicas = 'replication' in dataSource.options && Boolean(dataSource.options.replication);
  }

  /**
   * A read that may lag behind the primary: on a replica when DATABASE_REPLICA_URLS names any,
   * otherwise the primary. When no replica can be reached the read goes to the primary rather
   * than failing. Everything else reads the primary (replication `defaultMode: 'master'`).
   */
  async readReplica<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.hasReplicas) return work(this.dataSource.manager);
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      return await work(runner.manager);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      return work(this.dataSource.manager);
    } finally {
      await runner.release();
    }
  }

  /** `isolation` applies on MySQL/MariaDB only; SQLite's single writer is serializable anyway. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    if (!this.isMysql) return this.serialize(() => this.dataSource.transaction(work));
    return this.withRetry(() => (isolation ? this.dataSource.transaction(isolation, work) : this.dataSource.transaction(work)));
  }

  /** The hand-written statements of an entity, written once per process. */
  entitySql<T extends ObjectLiteral>(target: EntityTarget<T>): EntitySql<T> {
    let sql = this.entityStatements.get(target);
    if (!sql) {
      sql = new EntitySql(this.dataSource, target);
      this.entityStatements.set(target, sql);
    }
    return sql as EntitySql<T>;
  }

  /** A single write statement outside a transaction: serialized on SQLite, direct on MySQL. */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isMysql) return this.serialize(() => work(this.dataSource.manager));
    return work(this.dataSource.manager);
  }

  /** Connections of each MySQL/MariaDB pool, for /metrics; empty on SQLite, which has no pool. */
  poolStats(): PoolStats[] {
    if (!this.isMysql) return [];
    const driver = this.dataSource.driver as unknown as {
      pool?: Mysql2Pool;
      poolCluster?: { _nodes?: Record<string, { pool: Mysql2Pool }> };
    };
    const pools: [string, Mysql2Pool][] = driver.poolCluster
      ? Object.entries(driver.poolCluster._nodes ?? {}).map(([id, node]) => [
          id === 'MASTER' ? 'primary' : id.replace(/^SLAVE/, 'replica'),
          node.pool,
        ])
      : driver.pool
        ? [['primary', driver.pool]]
        : [];
    return pools.map(([name, pool]) => ({
      name,
      open: pool._allConnections?.length ?? 0,
      idle: pool._freeConnections?.length ?? 0,
      waiting: pool._connectionQueue?.length ?? 0,
      max: pool.config?.connectionLimit ?? 0,
    }));
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
