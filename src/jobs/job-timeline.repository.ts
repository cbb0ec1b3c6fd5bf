import { Injectable } from '@nestjs/common';
import { EntityManager, In, MoreThan } from 'typeorm';
// TypeORM 1.1 column metadata, pinned in package.json; used as entity-sql.ts uses it.
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { Database } from '../database/database.service';
import { JobEventEntity, JobEventType } from './job-event.entity';

const INSERTED = ['jobId', 'type', 'at', 'actor', 'data', 'dispatched'] as const;

export interface NewJobEvent {
  jobId: string;
  type: JobEventType;
  actor: string;
  data?: Record<string, unknown>;
}

/** The job timeline: written only inside the transaction of the change it records (docs/events.md). */
@Injectable()
export class JobTimelineRepository {
  constructor(private readonly database: Database) {}

  /** Appends events within the caller's transaction (`manager`), so they commit or roll back with the change: one statement. */
  async record(manager: EntityManager, events: readonly NewJobEvent[]): Promise<void> {
    if (events.length === 0) return;
    const { driver } = this.database.dataSource;
    const columns = this.insertColumns();
    const at = new Date();
    const values = events.map((event) => ({ jobId: event.jobId, type: event.type, at, actor: event.actor.slice(0, 160), data: event.data ?? {}, dispatched: false }));
    const row = `(${columns.map(() => '?').join(', ')})`;
    // Hand-written like the job insert: the query builder costs more CPU than the statement (docs/benchmarks.md, "Group commit").
    await manager.query(
      `INSERT INTO job_events (${columns.map((column) => column.databaseName).join(', ')}) VALUES ${values.map(() => row).join(', ')}`,
      values.flatMap((value) => columns.map((column) => driver.preparePersistentValue(value[column.propertyName as keyof typeof value], column))),
    );
  }

  private columns?: ColumnMetadata[];

  private insertColumns(): ColumnMetadata[] {
    this.columns ??= INSERTED.map((property) => this.database.dataSource.getMetadata(JobEventEntity).findColumnWithPropertyName(property) as ColumnMetadata);
    return this.columns;
  }

  /** Up to `limit` events of a job after the event `afterId`, oldest first. */
  page(jobId: string, afterId: string | undefined, limit: number): Promise<JobEventEntity[]> {
    return this.database.read((manager) =>
      manager.find(JobEventEntity, { where: afterId ? { jobId, id: MoreThan(afterId) } : { jobId }, order: { id: 'ASC' }, take: limit }),
    );
  }

  /** The oldest events no dispatcher has fanned out yet, locked for this transaction; others skip them (docs/webhooks.md, "The outbox"). */
  async claimUndispatched(manager: EntityManager, limit: number): Promise<JobEventEntity[]> {
    const lock = this.database.isMysql ? ' FOR UPDATE SKIP LOCKED' : '';
    const rows = (await manager.query(`SELECT id FROM job_events WHERE dispatched = ? ORDER BY id ASC LIMIT ${Number(limit)}${lock}`, [
      this.database.isMysql ? false : 0,
    ])) as { id: string | number }[];
    if (rows.length === 0) return [];
    return manager.find(JobEventEntity, { where: { id: In(rows.map((row) => String(row.id))) }, order: { id: 'ASC' } });
  }

  /** How far fan-out is behind, for metrics: undispatched events and when the oldest happened (both over IDX_job_events_dispatch). */
  undispatched(): Promise<{ count: number; oldest?: Date }> {
    return this.database.read(async (manager) => {
      const [count, oldest] = await Promise.all([
        manager.count(JobEventEntity, { where: { dispatched: false } }),
        manager.findOne(JobEventEntity, { where: { dispatched: false }, order: { id: 'ASC' } }),
      ]);
      return { count, ...(oldest ? { oldest: oldest.at } : {}) };
    });
  }

  async markDispatched(manager: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.update(JobEventEntity, { id: In([...ids]) }, { dispatched: true });
  }
}
