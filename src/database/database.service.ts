import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
// A deep import of TypeORM 1.1, pinned in package.json.
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { createDataSource, isMysqlFamily } from './create-data-source';
import { DatabaseUnavailableError, isDatabaseUnavailable, isRetryableConflict } from './database-errors';
import { EntitySql } from './entity-sql';
import { mysqlPoolStats, PoolStats } from './pool-stats';

const DEADLOCK_RETRIES = 3;
// Certification conflicts come in bursts under racing nodes (docs/galera.md, "What the gateway does differently").
const GALERA_CONFLICT_RETRIES = 8;

export type { PoolStats };

/** The one way features reach the database; on SQLite no read sees an open transaction (docs/architecture.md, "Units of work"). */
@Injectable()
export class Database implements OnModuleInit, OnModuleDestroy {
  private sqliteWrites: Promise<unknown> = Promise.resolve();
  private sqliteReader?: DataSource;
  private readonly entityStatements = new Map<EntityTarget<ObjectLiteral>, EntitySql<ObjectLiteral>>();
  readonly isMysql: boolean;
  readonly hasReplicas: boolean;
  /** A MariaDB Galera node (`wsrep_on=ON`): conflicts between nodes surface at commit as 1213. */
  isGalera = false;

  constructor(readonly dataSource: DataSource) {
    this.isMysql = isMysqlFamily(dataSource.options.type);
    this.hasReplicas = 'replication' in dataSource.options && Boolean(dataSource.options.replication);
  }

  async onModuleInit() {
    const options = this.dataSource.options;
    if (this.isMysql) this.isGalera = ((await this.dataSource.query("SHOW VARIABLES LIKE 'wsrep_on'")) as { Value?: string }[])[0]?.Value === 'ON';
    // An in-memory database has no file a second connection could open: its reads queue behind writes instead.
    if (options.type !== 'better-sqlite3' || options.database === ':memory:') return;
    this.sqliteReader = await createDataSource({ ...options, readonly: true, enableWAL: false, migrationsRun: false, migrations: [] });
  }

  async onModuleDestroy() {
    await this.sqliteReader?.destroy();
  }

  /** Reads committed data on the primary; on Galera after a causality wait, so a write acknowledged by any node is seen. */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isGalera) await this.catchUp();
    if (this.isMysql) return work(this.dataSource.manager);
    if (this.sqliteReader) return work(this.sqliteReader.manager);
    return this.serialize(() => work(this.dataSource.manager));
  }

  /** A read that may lag behind the primary: a replica when any is configured and reachable. */
  async readReplica<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.hasReplicas) return this.read(work);
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      return await work(runner.manager);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      return this.read(work);
    } finally {
      await runner.release();
    }
  }

  /** A single write statement outside a transaction: serialized on SQLite; on MySQL retried whole on deadlock or certification failure. */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isMysql) return this.serialize(() => work(this.dataSource.manager));
    return this.withRetry(() => work(this.dataSource.manager));
  }

  /** `isolation` applies on MySQL/MariaDB; deadlocks, lock-wait timeouts and Galera certification failures retry the whole unit there. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    if (!this.isMysql) return this.serialize(() => this.dataSource.transaction(work));
    return this.withRetry(() => (isolation ? this.dataSource.transaction(isolation, work) : this.dataSource.transaction(work)));
  }

  entitySql<T extends ObjectLiteral>(target: EntityTarget<T>): EntitySql<T> {
    let sql = this.entityStatements.get(target);
    if (!sql) {
      sql = new EntitySql(this.dataSource, target);
      this.entityStatements.set(target, sql);
    }
    return sql as EntitySql<T>;
  }

  /** On Galera also whether the node takes statements: one outside the primary component still answers `SELECT 1` (docs/galera.md, "Several nodes in DATABASE_URL"). */
  async ping(): Promise<void> {
    if (!this.isGalera) {
      await this.dataSource.query('SELECT 1');
      return;
    }
    const [row] = (await this.dataSource.query("SHOW GLOBAL STATUS LIKE 'wsrep_ready'")) as { Value?: string }[];
    if (row?.Value !== 'ON') throw new DatabaseUnavailableError(`this Galera node is not ready (wsrep_ready=${row?.Value ?? 'unknown'})`);
  }

  poolStats(): PoolStats[] {
    return this.isMysql ? mysqlPoolStats(this.dataSource) : [];
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const result = this.sqliteWrites.then(work, work);
    this.sqliteWrites = result.catch(() => undefined);
    return result;
  }

  private async withRetry<T>(work: () => Promise<T>): Promise<T> {
    const attempts = this.isGalera ? GALERA_CONFLICT_RETRIES : DEADLOCK_RETRIES;
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= attempts || !isRetryableConflict(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** Math.min(attempt, 4) + Math.random() * 20));
        // So the retry sees the winner instead of conflicting with it again.
        if (this.isGalera) await this.catchUp().catch(() => undefined);
      }
    }
  }

  /** Waits until this node has applied every write the cluster committed before now (docs/galera.md, "What the gateway does differently"). */
  private async catchUp(): Promise<void> {
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    await this.dataSource.query(`SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1 FROM ${table} LIMIT 1`);
  }
}
