import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../database/database-errors';
import { Database } from '../database/database.service';
import type { EntitySql } from '../database/entity-sql';
import { JobEntity } from './job.entity';
import { JobTimelineRepository, NewJobEvent } from './job-timeline.repository';

export type BatchOutcome = { created: true; id: string } | { created: false; existing: JobEntity | null };

/** One submission of a batch: its row, and the events its outcome records in the same transaction. */
export interface BatchedInsert {
  job: Omit<JobEntity, 'id'>;
  events: (outcome: BatchOutcome) => NewJobEvent[];
}

/** Enough of a row to tell whose it is. */
interface Holder {
  id: string | number;
  ipid: string;
  dfiid: string;
}

const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/**
 * The idempotent insert of many submissions in one transaction: the UNIQUE index on ipid decides,
 * the first in arrival order wins within a batch, and each row is told apart by its dfiid
 * (docs/benchmarks.md, "Group commit").
 */
@Injectable()
export class JobInsertsRepository {
  private readonly logger = new Logger(JobInsertsRepository.name);

  constructor(
    private readonly database: Database,
    private readonly timeline: JobTimelineRepository,
  ) {}

  private get sql(): EntitySql<JobEntity> {
    return this.database.entitySql(JobEntity);
  }

  insertBatch(items: readonly BatchedInsert[]): Promise<BatchOutcome[]> {
    return this.database.transaction(async (manager) => {
      const outcomes = this.database.isMysql ? await this.insertMysql(manager, items) : await this.insertSqlite(manager, items);
      await this.timeline.record(
        manager,
        items.flatMap((item, index) => item.events(outcomes[index])),
      );
      return outcomes;
    });
  }

  /** One multi-row INSERT that skips duplicates, then the rows by ipid (and by dfiid for keyless jobs). */
  private async insertMysql(manager: EntityManager, items: readonly BatchedInsert[]): Promise<BatchOutcome[]> {
    // A batch of one, what a quiet gateway sends: a plain INSERT answers its id, one round trip fewer (docs/benchmarks.md, "Group commit").
    if (items.length === 1) return [await this.insertOne(manager, items[0])];
    // Rows in key order, so concurrent batches lock their keys in the same order (a stable sort keeps arrival order per key).
    const ordered = [...items].sort((a, b) => (a.job.ipid ?? '').localeCompare(b.job.ipid ?? ''));
    const raw = (await manager.query(
      this.sql.insertRowsStatement(ordered.length, ' ON DUPLICATE KEY UPDATE id = id'),
      ordered.flatMap((item) => this.sql.insertParameters(item.job)),
    )) as { insertId: number | string };
    const ipids = [...new Set(items.map((item) => item.job.ipid).filter((ipid): ipid is string => ipid !== null))];
    // Who holds each key: only a duplicate needs its holder's whole row, for the 409.
    const holders = ipids.length === 0 ? [] : ((await manager.query(`SELECT id, ipid, dfiid FROM ${this.sql.table} WHERE ipid IN (${placeholders(ipids.length)})`, ipids)) as Holder[]);
    const byIpid = new Map(holders.map((holder) => [holder.ipid, holder]));
    const heldByOthers = new Set<string>();
    for (const item of items) {
      const holder = item.job.ipid === null ? undefined : byIpid.get(item.job.ipid);
      if (holder && holder.dfiid !== item.job.dfiid) heldByOthers.add(String(holder.id));
    }
    const others = [...heldByOthers];
    const rows = others.length === 0 ? [] : await this.sql.find(manager, this.sql.select(`id IN (${placeholders(others.length)})`), others);
    const fullRows = new Map(rows.map((job) => [String(job.id), job]));
    const keyless = items.filter((item) => item.job.ipid === null).map((item) => item.job.dfiid);
    const byDfiid = new Map((await this.keylessRows(manager, keyless, String(raw.insertId))).map((job) => [job.dfiid, job]));
    return items.map((item) => {
      const row = item.job.ipid === null ? byDfiid.get(item.job.dfiid) : byIpid.get(item.job.ipid);
      if (row && row.dfiid === item.job.dfiid) return { created: true, id: String(row.id) };
      return { created: false, existing: row ? (fullRows.get(String(row.id)) ?? null) : null };
    });
  }

  /** Keyless rows are new: they lie at or after the batch's first generated id, a primary-key range. */
  private async keylessRows(manager: EntityManager, dfiids: string[], firstId: string): Promise<Holder[]> {
    if (dfiids.length === 0) return [];
    const select = `SELECT id, ipid, dfiid FROM ${this.sql.table} WHERE dfiid IN (${placeholders(dfiids.length)})`;
    const rows = (await manager.query(`${select} AND id >= ?`, [...dfiids, firstId])) as Holder[];
    if (rows.length === dfiids.length) return rows;
    // The server reported another first id than the rows got: correct, but a scan (docs/benchmarks.md, "Group commit").
    this.logger.warn(`insert id ${firstId} did not bound the batch's keyless rows; looked them up without it`);
    return (await manager.query(select, dfiids)) as Holder[];
  }

  /** SQLite: one statement per row inside the batch's single transaction; a duplicate fails only its own row. */
  private async insertSqlite(manager: EntityManager, items: readonly BatchedInsert[]): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = [];
    for (const item of items) outcomes.push(await this.insertOne(manager, item));
    return outcomes;
  }

  /** One row by a plain INSERT; a duplicate key reads its holder (both dialects roll back the refused statement only, not the transaction). */
  private async insertOne(manager: EntityManager, item: BatchedInsert): Promise<BatchOutcome> {
    try {
      const raw = (await manager.query(this.sql.insertStatement, this.sql.insertParameters(item.job))) as { insertId: number | string } | number | string;
      return { created: true, id: String(this.database.isMysql ? (raw as { insertId: number | string }).insertId : raw) };
    } catch (error) {
      if (item.job.ipid === null || !isUniqueViolation(error)) throw error;
      const [existing] = await this.sql.find(manager, this.sql.selectWhere('ipid'), [item.job.ipid]);
      return { created: false, existing: existing ?? null };
    }
  }
}
