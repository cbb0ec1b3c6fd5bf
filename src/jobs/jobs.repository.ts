import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, type QueryDeepPartialEntity, type SelectQueryBuilder } from 'typeorm';
import { Database } from '../database/database.service';
import { isUniqueViolation } from '../database/database-errors';
import type { EntitySql } from '../database/entity-sql';
import { forceIndex } from '../database/force-index';
import { sqlNow } from '../database/sql-clock';
import { JobEntity } from './job.entity';
import { JobStatus, LIVE_STATUSES } from './job-status';
import { listIndexFor } from './job-list-index';
import { FilterField, SortKey } from './job-list-query';
import type { FacetField, FacetRow } from './job-facets';

export interface JobCriteria {
  equals: Partial<Record<FilterField, string>>;
  createdAt: { from?: Date; to?: Date };
  updatedAt: { from?: Date; to?: Date };
  /** Set when the caller may see only its own jobs. */
  submittedBy?: string;
}

/** The values of the sort keys of the last row of the previous page (ISO strings for timestamps). */
export type SeekValues = (string | Date)[];

export type InsertOutcome = { created: true; id: string } | { created: false };

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
  constructor(private readonly database: Database) {}

  private get sql(): EntitySql<JobEntity> {
    return this.database.entitySql(JobEntity);
  }

  /** The idempotent insert: the UNIQUE index on ipid decides, never a read first (docs/idempotency.md). */
  async insertUnlessDuplicate(job: Omit<JobEntity, 'id'>): Promise<InsertOutcome> {
    const parameters = this.sql.insertParameters(job);
    try {
      const raw = await this.database.write((manager) => manager.query(this.sql.insertStatement, parameters));
      return { created: true, id: String(this.database.isMysql ? raw.insertId : raw) };
    } catch (error) {
      if (job.ipid !== null && isUniqueViolation(error)) return { created: false };
      throw error;
    }
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

  /** Moves a job only if it is still in one of `from`, so of two racing commands exactly one wins. */
  async transition(id: string, from: readonly JobStatus[], changes: QueryDeepPartialEntity<JobEntity>): Promise<boolean> {
    return (await this.transitionMany([id], from, changes)) === 1;
  }

  /** One conditional UPDATE over `ids`: answers how many jobs were still in one of `from` and moved. */
  async transitionMany(ids: string[], from: readonly JobStatus[], changes: QueryDeepPartialEntity<JobEntity>): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.database.write((manager) =>
      manager
        .createQueryBuilder()
        .update(JobEntity)
        .set({ ...changes, updatedAt: new Date() })
        .where('id IN (:...ids)', { ids })
        .andWhere('status IN (:...from)', { from })
        .execute(),
    );
    return result.affected ?? 0;
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

  async update(id: string, changes: QueryDeepPartialEntity<JobEntity>): Promise<void> {
    await this.database.write((manager) => manager.update(JobEntity, { id }, { ...changes, updatedAt: new Date() }));
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
