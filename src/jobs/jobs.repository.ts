import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, type QueryDeepPartialEntity, type SelectQueryBuilder } from 'typeorm';
import { Database } from '../database/database.service';
import type { EntitySql } from '../database/entity-sql';
import { forceIndex } from '../database/force-index';
import { sqlNow } from '../database/sql-clock';
import { JobEntity } from './job.entity';
import { FINISHED_STATUSES, JobStatus, LIVE_STATUSES } from './job-status';
import { listIndexFor } from './job-list-index';
import { FilterField, SortKey } from './job-list-query';
import type { FacetField, FacetRow } from './job-facets';
import { JobTimelineRepository, NewJobEvent } from './job-timeline.repository';

/** The event a change records, on each job it moves. */
export type ChangeEvent = Omit<NewJobEvent, 'jobId'>;

export interface JobCriteria {
  equals: Partial<Record<FilterField, string>>;
  createdAt: { from?: Date; to?: Date };
  updatedAt: { from?: Date; to?: Date };
  /** Set when the caller may see only its own jobs. */
  submittedBy?: string;
}

/** The values of the sort keys of the last row of the previous page (ISO strings for timestamps). */
export type SeekValues = (string | Date)[];

/** A queue's live jobs: RUNNING ones, SUBMITTED ones whose run_after has passed, and all live ones (LIVE_STATUSES). */
export interface QueueLoad {
  queue: string;
  running: number;
  ready: number;
  unfinished: number;
}

export interface LiveJobCount {
  status: JobStatus;
  queue: string;
  count: number;
}

@Injectable()
export class JobsRepository {
  constructor(
    private readonly database: Database,
    private readonly timeline: JobTimelineRepository,
  ) {}

  private get sql(): EntitySql<JobEntity> {
    return this.database.entitySql(JobEntity);
  }

  /** Outside any transaction, so it sees the winner's committed row (docs/idempotency.md). */
  async findByIpid(ipid: string): Promise<JobEntity | null> {
    const [job] = await this.database.read((manager) => this.sql.find(manager, this.sql.selectWhere('ipid'), [ipid]));
    return job ?? null;
  }

  findById(id: string): Promise<JobEntity | null> {
    return this.database.read((manager) => manager.findOneBy(JobEntity, { id }));
  }

  /** From a replica; one it does not have yet (replication lag) is looked up on the primary. */
  async findByIdForDisplay(id: string): Promise<JobEntity | null> {
    if (!this.database.hasReplicas) return this.findById(id);
    return (await this.database.readReplica((manager) => manager.findOneBy(JobEntity, { id }))) ?? this.findById(id);
  }

  /** One page of the keyset walk (docs/architecture.md, "Listing"). */
  findPage(criteria: JobCriteria, sort: SortKey[], after: SeekValues | undefined, limit: number): Promise<JobEntity[]> {
    return this.database.readReplica((manager) => this.pageQuery(criteria, sort, after, limit, manager).getMany());
  }

  /** The page's SELECT: the expanded OR seek form, forced onto its list index (docs/architecture.md, "Listing"). */
  pageQuery(
    criteria: JobCriteria,
    sort: SortKey[],
    after: SeekValues | undefined,
    limit: number,
    manager: EntityManager,
  ): SelectQueryBuilder<JobEntity> {
    const equalities = Object.keys(criteria.equals).filter((field) => criteria.equals[field as FilterField] !== undefined);
    if (criteria.submittedBy !== undefined) equalities.push('submittedBy');
    const index = listIndexFor(equalities, sort);
    const query = index ? forceIndex(this.filtered(criteria, manager), index) : this.filtered(criteria, manager);
    if (after) {
      query.andWhere(
        new Brackets((seek) => {
          sort.forEach((key, index) => {
            seek.orWhere(
              new Brackets((branch) => {
                for (let equal = 0; equal < index; equal++) {
                  branch.andWhere(`job.${sort[equal].field} = :seek${equal}`);
                }
                branch.andWhere(`job.${key.field} ${key.descending ? '<' : '>'} :seek${index}`);
              }),
            );
          });
        }),
        Object.fromEntries(after.map((value, index) => [`seek${index}`, value])),
      );
    }
    for (const key of sort) query.addOrderBy(`job.${key.field}`, key.descending ? 'DESC' : 'ASC');
    return query.limit(limit);
  }

  /** Moves a job only if it is still in one of `from`, with its event, so of two racing commands exactly one wins. */
  transition(id: string, from: readonly JobStatus[], changes: QueryDeepPartialEntity<JobEntity>, event: ChangeEvent): Promise<boolean> {
    return this.database.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(JobEntity)
        .set({ ...changes, updatedAt: new Date() })
        .where('id = :id', { id })
        .andWhere('status IN (:...from)', { from })
        .execute();
      if (!result.affected) return false;
      await this.timeline.record(manager, [{ jobId: id, ...event }]);
      return true;
    });
  }

  /** Moves those of `ids` still in one of `from`, each with its event, in one transaction: answers the ids moved. */
  transitionMany(ids: string[], from: readonly JobStatus[], changes: QueryDeepPartialEntity<JobEntity>, event: ChangeEvent): Promise<string[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.database.transaction(async (manager) => {
      const lock = this.database.isMysql ? ' FOR UPDATE' : '';
      const rows = (await manager.query(
        `SELECT id FROM ${this.sql.table} WHERE id IN (${ids.map(() => '?').join(', ')}) AND status IN (${from.map(() => '?').join(', ')}) ORDER BY id${lock}`,
        [...ids, ...from],
      )) as { id: string | number }[];
      const moving = rows.map((row) => String(row.id));
      if (moving.length === 0) return [];
      await manager
        .createQueryBuilder()
        .update(JobEntity)
        .set({ ...changes, updatedAt: new Date() })
        .where('id IN (:...moving)', { moving })
        .andWhere('status IN (:...from)', { from })
        .execute();
      await this.timeline.record(manager, moving.map((jobId) => ({ jobId, ...event })));
      return moving;
    });
  }

  /** Those of `ids` that are COMPLETED, ERROR or ABORTED, read on the primary. */
  async findFinishedAmong(ids: string[]): Promise<string[]> {
    const found: string[] = [];
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const rows = (await this.database.read((manager) =>
        manager.query(
          `SELECT id FROM ${this.sql.table} WHERE id IN (${chunk.map(() => '?').join(', ')}) AND status IN (${FINISHED_STATUSES.map(() => '?').join(', ')})`,
          [...chunk, ...FINISHED_STATUSES],
        ),
      )) as { id: string | number }[];
      found.push(...rows.map((row) => String(row.id)));
    }
    return found;
  }

  /** Ids matching the list criteria in one of the statuses, oldest first, for bulk commands. */
  async findIds(criteria: JobCriteria, statuses: readonly JobStatus[], limit: number): Promise<string[]> {
    const rows = await this.database.read((manager) =>
      this.filtered(criteria, manager)
        .select('job.id', 'id')
        .andWhere('job.status IN (:...statuses)', { statuses })
        .orderBy('job.id', 'ASC')
        .limit(limit)
        .getRawMany<{ id: string | number }>(),
    );
    return rows.map((row) => String(row.id));
  }

  /** Live jobs by status and queue: a range over IDX_jobs_claim's leading columns, read on the primary. */
  async countLive(): Promise<LiveJobCount[]> {
    const rows = await this.database.read((manager) =>
      manager
        .createQueryBuilder(JobEntity, 'job')
        .select('job.status', 'status')
        .addSelect('job.queue', 'queue')
        .addSelect('COUNT(*)', 'count')
        .where('job.status IN (:...statuses)', { statuses: LIVE_STATUSES })
        .groupBy('job.status')
        .addGroupBy('job.queue')
        .getRawMany<{ status: JobStatus; queue: string; count: string | number }>(),
    );
    return rows.map((row) => ({ status: row.status, queue: row.queue, count: Number(row.count) }));
  }

  /** Per queue (all, or those named), on the primary and by the database clock, as the claim sees them. */
  async queueLoads(queues?: string[]): Promise<QueueLoad[]> {
    if (queues?.length === 0) return [];
    const now = sqlNow(this.database.isMysql);
    const rows = await this.database.read((manager) => {
      const query = manager
        .createQueryBuilder(JobEntity, 'job')
        .select('job.queue', 'queue')
        .addSelect('SUM(CASE WHEN job.status = :running THEN 1 ELSE 0 END)', 'running')
        .addSelect(`SUM(CASE WHEN job.status = :submitted AND (job.runAfter IS NULL OR job.runAfter <= ${now}) THEN 1 ELSE 0 END)`, 'ready')
        .addSelect('COUNT(*)', 'unfinished')
        .where('job.status IN (:...statuses)', { statuses: LIVE_STATUSES, running: JobStatus.RUNNING, submitted: JobStatus.SUBMITTED })
        .groupBy('job.queue');
      if (queues) query.andWhere('job.queue IN (:...queues)', { queues });
      return query.getRawMany<{ queue: string; running: string | number; ready: string | number; unfinished: string | number }>();
    });
    return rows.map((row) => ({ queue: row.queue, running: Number(row.running), ready: Number(row.ready), unfinished: Number(row.unfinished) }));
  }

  async update(id: string, changes: QueryDeepPartialEntity<JobEntity>, event: ChangeEvent): Promise<void> {
    await this.database.transaction(async (manager) => {
      await manager.update(JobEntity, { id }, { ...changes, updatedAt: new Date() });
      await this.timeline.record(manager, [{ jobId: id, ...event }]);
    });
  }

  count(criteria: JobCriteria): Promise<number> {
    return this.database.readReplica((manager) => this.filtered(criteria, manager).getCount());
  }

  /** Counts by one column over the list filters, most frequent first, at most `limit` rows: a GROUP BY over the column's list index. */
  facet(criteria: JobCriteria, field: FacetField, limit: number): Promise<FacetRow[]> {
    return this.database.readReplica((manager) =>
      this.facetQuery(criteria, field, limit, manager).getRawMany<FacetRow>(),
    );
  }

  facetQuery(criteria: JobCriteria, field: FacetField, limit: number, manager: EntityManager): SelectQueryBuilder<JobEntity> {
    return this.filtered(criteria, manager)
      .select(`job.${field}`, 'value')
      .addSelect('COUNT(*)', 'count')
      .groupBy(`job.${field}`)
      .orderBy('COUNT(*)', 'DESC')
      .addOrderBy(`job.${field}`, 'ASC')
      .limit(limit);
  }

  private filtered(criteria: JobCriteria, manager: EntityManager): SelectQueryBuilder<JobEntity> {
    const query = manager.createQueryBuilder(JobEntity, 'job');
    for (const [field, value] of Object.entries(criteria.equals)) {
      if (value !== undefined) query.andWhere(`job.${field} = :eq_${field}`, { [`eq_${field}`]: value });
    }
    if (criteria.submittedBy !== undefined) {
      query.andWhere('job.submittedBy = :visibleTo', { visibleTo: criteria.submittedBy });
    }
    for (const field of ['createdAt', 'updatedAt'] as const) {
      const { from, to } = criteria[field];
      if (from) query.andWhere(`job.${field} >= :${field}From`, { [`${field}From`]: from });
      if (to) query.andWhere(`job.${field} < :${field}To`, { [`${field}To`]: to });
    }
    return query;
  }
}
