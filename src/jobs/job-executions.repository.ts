import { Injectable } from '@nestjs/common';
import { EntityManager, MoreThan, type QueryDeepPartialEntity } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Database } from '../database/database.service';
import type { EntitySql } from '../database/entity-sql';
import { sqlNow, sqlNowPlusSeconds } from '../database/sql-clock';
import { JobEntity } from './job.entity';
import { JobExecutionEntity } from './job-execution.entity';
import { JobLogEntity, LogLevel } from './job-log.entity';
import { ExecutionOutcome, JobStatus, retryDelaySeconds, statusAfterFailure } from './job-status';
import type { JobEventType } from './job-event.entity';
import { JobTimelineRepository } from './job-timeline.repository';

export const MAX_LOG_LINES_PER_JOB = 10_000;

/** At most `count` code points, as the varchar counts them: a cut never splits a surrogate pair. */
const firstCodePoints = (text: string, count: number) => Array.from(text).slice(0, count).join('');

const { SUBMITTED, RUNNING, ABORTED, COMPLETED } = JobStatus;

export const leaseLost = (id: string) =>
  new DomainError('LEASE_LOST', `The lease on job ${id} is stale, foreign or expired; stop working on it.`);

type Ending = { status: Exclude<JobStatus, 'RUNNING' | 'SUSPENDED'>; message: string; execution: ExecutionOutcome };

/** The timeline entry of an ended execution: who ended it, how, and whether the job goes back to its queue. */
function endedEvent(job: JobEntity, ending: Ending, retrying: boolean, error: string | undefined) {
  const expired = ending.execution === 'EXPIRED';
  const type: JobEventType = expired ? 'job.lease_expired' : ending.status === COMPLETED ? 'job.completed' : ending.status === ABORTED ? 'job.aborted' : 'job.failed';
  return {
    jobId: String(job.id),
    type,
    actor: expired ? 'system:lease-reaper' : `worker:${job.workerId}`,
    data: {
      execution: job.executionCount,
      status: ending.status,
      ...(type === 'job.completed' ? {} : { retrying }),
      ...(error === undefined ? {} : { error: firstCodePoints(error, 1024) }),
      ...(expired ? { workerId: job.workerId } : {}),
    },
  };
}

/** How an execution ended (as its row says): the job as it is now, and whether it goes back to its queue. */
export interface ExecutionEnded {
  job: JobEntity;
  outcome: ExecutionOutcome;
  retrying: boolean;
}

/**
 * Everything a lease holder changes, each write conditional on the job still being RUNNING under
 * the presented token; times from the database clock (docs/workers.md, "Leases").
 */
@Injectable()
export class JobExecutionsRepository {
  constructor(
    private readonly database: Database,
    private readonly timeline: JobTimelineRepository,
  ) {}

  private get sql(): EntitySql<JobEntity> {
    return this.database.entitySql(JobEntity);
  }

  private get now() {
    return sqlNow(this.database.isMysql);
  }

  private plus(seconds: string) {
    return sqlNowPlusSeconds(this.database.isMysql, seconds);
  }

  /** Extends the lease (never past the execution deadline); the answer tells whether an abort is requested. */
  async heartbeat(id: string, token: string, progress?: number, message?: string): Promise<JobEntity> {
    const leaseEnd = `CASE WHEN execution_deadline IS NOT NULL AND execution_deadline < ${this.plus('lease_seconds')} THEN execution_deadline ELSE ${this.plus('lease_seconds')} END`;
    const result = await this.database.write((manager) =>
      manager
        .createQueryBuilder()
        .update(JobEntity)
        .set({
          leaseExpiresAt: () => leaseEnd,
          updatedAt: new Date(),
          ...(progress === undefined ? {} : { progress }),
          ...(message === undefined ? {} : { statusMessage: message }),
        })
        .where('id = :id AND lease_token = :token', { id, token })
        .andWhere(`status = :running AND lease_expires_at > ${this.now}`, { running: RUNNING })
        .execute(),
    );
    if (!result.affected) throw leaseLost(id);
    return this.database.read((manager) => this.byId(manager, id));
  }

  complete(id: string, token: string, result: unknown): Promise<ExecutionEnded> {
    return this.end(id, token, () => ({ status: COMPLETED, message: 'completed', execution: COMPLETED }), {
      result: result ?? null,
      progress: 100,
    });
  }

  /** Fails the execution: a retry after backoff, ERROR when attempts are spent, ABORTED when asked. */
  fail(id: string, token: string, error: string, retryable: boolean): Promise<ExecutionEnded> {
    return this.end(
      id,
      token,
      (job) => {
        const status = statusAfterFailure({ ...job, retryable });
        const message =
          status === SUBMITTED
            ? `attempt ${job.attempts} of ${job.maxAttempts} failed, retrying: ${error}`
            : status === ABORTED
              ? 'aborted on request'
              : `failed after ${job.attempts} attempt(s): ${error}`;
        return { status, message, execution: status === ABORTED ? ABORTED : 'FAILED' };
      },
      {},
      error,
    );
  }

  async appendLogs(id: string, token: string, lines: { message: string; level: LogLevel }[]): Promise<number> {
    return this.database.transaction(async (manager) => {
      const job = await this.holding(manager, id, token);
      const existing = await manager.count(JobLogEntity, { where: { jobId: id } });
      if (existing + lines.length > MAX_LOG_LINES_PER_JOB) {
        throw new DomainError('LOG_LIMIT_REACHED', `Job ${id} may hold at most ${MAX_LOG_LINES_PER_JOB} log lines.`);
      }
      const at = new Date();
      await manager.insert(
        JobLogEntity,
        lines.map((line) => ({ jobId: id, execution: job.executionCount, at, level: line.level, message: line.message })),
      );
      return lines.length;
    });
  }

  /** Ends executions whose lease ran out; safe in every instance at once (docs/workers.md, "Leases"). */
  async expireLeases(limit = 100): Promise<ExecutionEnded[]> {
    const expired = await this.database.read((manager) =>
      manager
        .createQueryBuilder(JobEntity, 'job')
        .where('job.status = :running', { running: RUNNING })
        .andWhere(`job.leaseExpiresAt < ${this.now}`)
        .orderBy('job.leaseExpiresAt', 'ASC')
        .limit(limit)
        .getMany(),
    );
    const moved: ExecutionEnded[] = [];
    for (const job of expired) {
      const timedOut = job.executionDeadline !== null && job.leaseExpiresAt !== null && job.executionDeadline <= job.leaseExpiresAt;
      const reason = timedOut ? `execution timed out after ${job.timeoutSeconds}s` : `lease expired (worker ${job.workerId} went silent)`;
      try {
        const ended = await this.end(
          String(job.id),
          job.leaseToken as string,
          (current) => {
            const status = statusAfterFailure({ ...current, retryable: true });
            return {
              status,
              message: status === ABORTED ? 'aborted on request (lease expired)' : `attempt ${current.attempts}: ${reason}`,
              execution: 'EXPIRED',
            };
          },
          {},
          reason,
          true,
        );
        moved.push(ended);
      } catch (error) {
        // Another instance's reaper, or a late heartbeat, got there first.
        if (!(error instanceof DomainError && error.code === 'LEASE_LOST')) throw error;
      }
    }
    return moved;
  }

  executions(jobId: string): Promise<JobExecutionEntity[]> {
    return this.database.readReplica((manager) => manager.find(JobExecutionEntity, { where: { jobId }, order: { number: 'ASC' } }));
  }

  /** Up to `limit` log lines of a job after the line `afterId`, oldest first. */
  logs(jobId: string, afterId: string | undefined, limit: number): Promise<JobLogEntity[]> {
    return this.database.readReplica((manager) =>
      manager.find(JobLogEntity, {
        where: afterId ? { jobId, id: MoreThan(afterId) } : { jobId },
        order: { id: 'ASC' },
        take: limit,
      }),
    );
  }

  /** Ends the current execution of a job held under `token`, conditionally, in one transaction. */
  private end(
    id: string,
    token: string,
    decide: (job: JobEntity) => Ending,
    extra: Partial<Pick<JobEntity, 'result' | 'progress'>>,
    error?: string,
    onlyIfExpired = false,
  ): Promise<ExecutionEnded> {
    return this.database.transaction(async (manager) => {
      const job = await this.holding(manager, id, token);
      const ending = decide(job);
      const retrying = ending.status === SUBMITTED;
      const retryAt = retrying && ending.execution !== 'EXPIRED' ? this.plus(String(retryDelaySeconds(job.attempts))) : null;
      const update = manager
        .createQueryBuilder()
        .update(JobEntity)
        .set({
          status: ending.status,
          statusMessage: firstCodePoints(ending.message, 1024),
          leaseToken: null,
          leaseExpiresAt: null,
          executionDeadline: null,
          runAfter: retryAt ? () => retryAt : null,
          finishedAt: retrying ? null : () => this.now,
          updatedAt: new Date(),
          ...extra,
        } as QueryDeepPartialEntity<JobEntity>)
        .where('id = :id AND lease_token = :token', { id, token })
        .andWhere('status = :running', { running: RUNNING });
      if (onlyIfExpired) update.andWhere(`lease_expires_at < ${this.now}`);
      const result = await update.execute();
      if (!result.affected) throw leaseLost(id);
      await manager.update(
        JobExecutionEntity,
        { jobId: id, number: job.executionCount },
        { status: ending.execution, endedAt: new Date(), error: error ?? null },
      );
      await this.timeline.record(manager, [endedEvent(job, ending, retrying, error)]);
      return { job: await this.byId(manager, id), outcome: ending.execution, retrying };
    });
  }

  /** The job, if it is RUNNING under this token; locked on MySQL for the rest of the transaction. */
  private async holding(manager: EntityManager, id: string, token: string): Promise<JobEntity> {
    const condition = `id = ? AND lease_token = ? AND status = '${RUNNING}'${this.database.isMysql ? ' FOR UPDATE' : ''}`;
    const [job] = await this.sql.find(manager, this.sql.select(condition), [id, token]);
    if (!job) throw leaseLost(id);
    return job;
  }

  /** A job that exists: one this call has just held or moved. */
  private async byId(manager: EntityManager, id: string): Promise<JobEntity> {
    const [job] = await this.sql.find(manager, this.sql.selectWhere('id'), [id]);
    return job;
  }
}
