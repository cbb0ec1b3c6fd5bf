import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { sqlNowMinusDays } from '../database/sql-clock';
import { FINISHED_STATUSES } from '../jobs/job-status';

/**
 * Deletes finished jobs in bounded statements. Every DELETE re-checks that its jobs are still
 * finished and old enough, so instances purging at once only ever find less to do, and a job
 * restarted meanwhile is never deleted.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly database: Database) {}

  /**
   * Purges up to `batchSize` jobs that finished more than `days` ago (by the database clock):
   * first their logs and executions, `batchSize` rows per statement, then the jobs. Answers how
   * many jobs this call deleted.
   */
  async purgeBatch(days: number, batchSize: number): Promise<number> {
    const manager = this.database.dataSource.manager;
    const old = `status IN (:...finished) AND finished_at < ${sqlNowMinusDays(this.database.isMysql, ':days')}`;
    const params = { finished: FINISHED_STATUSES, days };
    const candidates = await manager
      .createQueryBuilder()
      .select('id')
      .from('jobs', 'jobs')
      .where(old, params)
      .orderBy('finished_at', 'ASC')
      .addOrderBy('id', 'ASC')
      .limit(batchSize)
      .getRawMany<{ id: string | number }>();
    const jobIds = candidates.map((row) => String(row.id));
    if (jobIds.length === 0) return 0;

    const stillOld = `job_id IN (SELECT id FROM jobs WHERE id IN (:...jobIds) AND ${old})`;
    for (const table of ['job_logs', 'job_executions']) {
      for (;;) {
        const ids = await this.childIds(manager, table, jobIds, batchSize);
        if (ids.length > 0) {
          await this.database.write((writer) =>
            writer
              .createQueryBuilder()
              .delete()
              .from(table)
              .where('id IN (:...ids)', { ids })
              .andWhere(stillOld, { ...params, jobIds })
              .execute(),
          );
        }
        if (ids.length < batchSize) break;
      }
    }
    // ON DELETE CASCADE takes whatever child row was written since: none, for a finished job.
    const deleted = await this.database.write((writer) =>
      writer.createQueryBuilder().delete().from('jobs').where('id IN (:...jobIds)', { jobIds }).andWhere(old, params).execute(),
    );
    return deleted.affected ?? 0;
  }

  private async childIds(manager: EntityManager, table: string, jobIds: string[], limit: number): Promise<string[]> {
    const rows = await manager
      .createQueryBuilder()
      .select('id')
      .from(table, 'child')
      .where('job_id IN (:...jobIds)', { jobIds })
      .limit(limit)
      .getRawMany<{ id: string | number }>();
    return rows.map((row) => String(row.id));
  }
}
