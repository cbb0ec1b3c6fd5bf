import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { Database } from '../database/database.service';
import { forceIndex } from '../database/force-index';
import { sqlMinute } from '../database/sql-clock';
import { JobEntity } from './job.entity';
import { FINISHED_STATUSES, JobStatus } from './job-status';

/** A count of one minute, keyed `YYYY-MM-DD HH:MM` (UTC). */
export interface MinuteCount {
  minute: string;
  count: number;
}

export interface MinuteStatusCount extends MinuteCount {
  status: JobStatus;
}

type RawCount = { minute: string; count: string | number };

/** Per-minute counts over a time window, each a range over one covering index. */
@Injectable()
export class JobStatsRepository {
  constructor(private readonly database: Database) {}

  /** Jobs created in [from, to), of one submitter when given. */
  async submittedPerMinute(from: Date, to: Date, submittedBy?: string): Promise<MinuteCount[]> {
    const rows = await this.database.readReplica((manager) =>
      this.windowQuery('submitted', from, to, submittedBy, manager).getRawMany<RawCount>(),
    );
    return rows.map((row) => ({ minute: row.minute, count: Number(row.count) }));
  }

  /** Jobs finished in [from, to) by final status, of one submitter when given. */
  async finishedPerMinute(from: Date, to: Date, submittedBy?: string): Promise<MinuteStatusCount[]> {
    const rows = await this.database.readReplica((manager) =>
      this.windowQuery('finished', from, to, submittedBy, manager).getRawMany<RawCount & { status: JobStatus }>(),
    );
    return rows.map((row) => ({ minute: row.minute, status: row.status, count: Number(row.count) }));
  }

  /**
   * Each variant reads one index alone: created_at (all jobs), (submitted_by, created_at) (own jobs), or
   * (finished_at, status, submitted_by); forced on MySQL, steered on SQLite (docs/architecture.md, "Listing: keyset paging and indexes").
   */
  windowQuery(kind: 'submitted' | 'finished', from: Date, to: Date, submittedBy: string | undefined, manager: EntityManager): SelectQueryBuilder<JobEntity> {
    const field = kind === 'submitted' ? 'createdAt' : 'finishedAt';
    const index = kind === 'finished' ? 'IDX_jobs_finished_stats' : submittedBy === undefined ? 'IDX_jobs_created_at_id' : 'IDX_jobs_submitted_by_created_at';
    const minute = sqlMinute(this.database.isMysql, `job.${field}`);
    // SQLite's planner has no statistics and prefers an equality index: a unary + keeps a column off its choice.
    const steer = (column: string) => (this.database.isMysql ? column : `+${column}`);
    const query = manager
      .createQueryBuilder(JobEntity, 'job')
      .select(minute, 'minute')
      .addSelect('COUNT(*)', 'count')
      .where(`job.${field} >= :from AND job.${field} < :to`, { from, to })
      .groupBy(minute);
    if (kind === 'finished') {
      query.addSelect('job.status', 'status').andWhere(`${steer('job.status')} IN (:...finished)`, { finished: FINISHED_STATUSES }).addGroupBy('job.status');
    }
    if (submittedBy !== undefined) {
      query.andWhere(`${kind === 'finished' ? steer('job.submitted_by') : 'job.submitted_by'} = :submittedBy`, { submittedBy });
    }
    return this.database.isMysql ? forceIndex(query, index) : query;
  }
}
