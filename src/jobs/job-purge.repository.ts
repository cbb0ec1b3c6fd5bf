import { Injectable } from '@nestjs/common';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { Database } from '../database/database.service';
import { sqlNowMinusDays } from '../database/sql-clock';
import { JobEntity } from './job.entity';
import { JobExecutionEntity } from './job-execution.entity';
import { JobLogEntity } from './job-log.entity';
import { JobEventEntity } from './job-event.entity';
import { FINISHED_STATUSES } from './job-status';

/** Deletes finished jobs in bounded statements, each re-checking that its jobs are still old and finished (docs/operations.md, "Retention"). */
@Injectable()
export class JobPurgeRepository {
  constructor(private readonly database: Database) {}

  /** Purges up to `batchSize` jobs finished more than `days` ago by the database clock, logs, executions and events first. */
  async purgeBatch(days: number, batchSize: number): Promise<number> {
    const old = `status IN (:...finished) AND finished_at < ${sqlNowMinusDays(this.database.isMysql, ':days')}`;
    const params = { finished: FINISHED_STATUSES, days };
    const candidates = await this.database.read((manager) =>
      manager
        .createQueryBuilder(JobEntity, 'job')
        .select('job.id', 'id')
        .where(old, params)
        .orderBy('job.finishedAt', 'ASC')
        .addOrderBy('job.id', 'ASC')
        .limit(batchSize)
        .getRawMany<{ id: string | number }>(),
    );
    const jobIds = candidates.map((row) => String(row.id));
    if (jobIds.length === 0) return 0;

    const stillOld = `job_id IN (SELECT id FROM ${this.database.entitySql(JobEntity).table} WHERE id IN (:...jobIds) AND ${old})`;
    for (const child of [JobLogEntity, JobExecutionEntity, JobEventEntity]) {
      for (;;) {
        const ids = await this.childIds(child, jobIds, batchSize);
        if (ids.length > 0) {
          await this.database.write((manager) =>
            manager
              .createQueryBuilder()
              .delete()
              .from(child)
              .where('id IN (:...ids)', { ids })
              .andWhere(stillOld, { ...params, jobIds })
              .execute(),
          );
        }
        if (ids.length < batchSize) break;
      }
    }
    // ON DELETE CASCADE takes whatever child row was written since: none, for a finished job.
    const deleted = await this.database.write((manager) =>
      manager.createQueryBuilder().delete().from(JobEntity).where('id IN (:...jobIds)', { jobIds }).andWhere(old, params).execute(),
    );
    return deleted.affected ?? 0;
  }

  private async childIds(child: EntityTarget<ObjectLiteral>, jobIds: string[], limit: number): Promise<string[]> {
    const rows = await this.database.read((manager) =>
      manager
        .createQueryBuilder(child, 'child')
        .select('child.id', 'id')
        .where('child.jobId IN (:...jobIds)', { jobIds })
        .limit(limit)
        .getRawMany<{ id: string | number }>(),
    );
    return rows.map((row) => String(row.id));
  }
}
