import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, type QueryDeepPartialEntity, type SelectQueryBuilder } from 'typeorm';
import { Database } from '../database/database.service';
import { isUniqueViolation } from '../database/database-errors';
import type { EntitySql } from '../database/entity-sql';
import { forceIndex } from '../database/force-index';
import { JobEntity } from './job.entity';
import type { JobStatus } from './job-status';
import { listIndexFor } from './job-list-index';
import { FilterField, SortKey } from './job-list-query';

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

@Injectable()
export class JobsRepository {
  constructor(private readonly database: Database) {}

  /** The submission's statements, written once: they are most of the gateway's traffic. */
  private get sql(): EntitySql<JobEntity> {
    return this.database.entitySql(JobEntity);
  }

  /**
   * The idempotent insert: one INSERT, relying on the UNIQUE index on ipid. A duplicate is
   * recognised by the driver's error code (never by reading first), so racing submissions across
   * any number of processes create exactly one row.
   */
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

  /**
   * A fresh statement outside any transaction, so it sees the winner's committed row (a read in
   * the losing transaction's snapshot could see nothing under REPEATABLE READ).
   */
  async findByIpid(ipid: string): Promise<JobEntity | null> {
    const [job] = await this.sql.find(this.database.dataSource.manager, this.sql.selectWhere('ipid'), [ipid]);
    return job ?? null;
  }

  findById(id: string): Promise<JobEntity | null> {
    return this.database.dataSource.manager.findOneBy(JobEntity, { id });
  }

  /**
   * The job as a replica sees it; one the replica does not have yet (just submitted, replication
   * lag) is looked up on the primary before the caller is told it does not exist.
   */
  async findByIdForDisplay(id: string): Promise<JobEntity | null> {
    if (!this.database.hasReplicas) return this.findById(id);
    return (await this.database.readReplica((manager) => manager.findOneBy(JobEntity, { id }))) ?? this.findById(id);
  }

  /**
   * One page of the keyset walk. The seek predicate is written in the expanded OR form
   * (`a < :a OR (a = :a AND id < :id)`): MariaDB turns it into an index range, whereas the row
   * constructor `(a, id) < (:a, :id)` scans like OFFSET (docs/architecture.md, "Listing").
   */
  findPage(criteria: JobCriteria, sort: SortKey[], after: SeekValues | undefined, limit: number): Promise<JobEntity[]> {
    return this.database.readReplica((manager) => this.pageQuery(criteria, sort, after, limit, manager).getMany());
  }

  /**
   * The page's SELECT, forced onto the list index that serves it exactly when there is one
   * (job-list-index.ts): otherwise MariaDB reads every matching row above the cursor.
   */
  pageQuery(
    criteria: JobCriteria,
    sort: SortKey[],
    after: SeekValues | undefined,
    limit: number,
    manager: EntityManager = this.database.dataSource.manager,
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

  /**
   * Moves a job between statuses only if it is still in one of `from`: the database decides, so
   * of two racing commands exactly one wins. Answers whether this one did.
   */
  async transition(id: string, from: readonly JobStatus[], changes: QueryDeepPartialEntity<JobEntity>): Promise<boolean> {
    const result = await this.database.write((manager) =>
      manager
        .createQueryBuilder()
        .update(JobEntity)
        .set({ ...changes, updatedAt: new Date() })
        .where('id = :id', { id })
        .andWhere('status IN (:...from)', { from })
        .execute(),
    );
    return Boolean(result.affected);
  }

  /** Ids matching the list criteria in one of the statuses, oldest first, for bulk commands. */
  async findIds(criteria: JobCriteria, statuses: readonly JobStatus[], limit: number): Promise<string[]> {
    const rows = await this.filtered(criteria)
      .select('job.id', 'id')
      .andWhere('job.status IN (:...statuses)', { statuses })
      .orderBy('job.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string | number }>();
    return rows.map((row) => String(row.id));
  }

  async update(id: string, changes: QueryDeepPartialEntity<JobEntity>): Promise<void> {
    await this.database.write((manager) => manager.update(JobEntity, { id }, { ...changes, updatedAt: new Date() }));
  }

  count(criteria: JobCriteria): Promise<number> {
    return this.database.readReplica((manager) => this.filtered(criteria, manager).getCount());
  }

  private filtered(criteria: JobCriteria, manager: EntityManager = this.database.dataSource.manager): SelectQueryBuilder<JobEntity> {
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
