import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, MoreThan, type QueryDeepPartialEntity } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Database } from '../database/database.service';
import type { EntitySql } from '../database/entity-sql';
import { sqlNow, sqlNowPlusSeconds } from '../database/sql-clock';
import { retryDelaySeconds, statusAfterFailure } from '../jobs/job-status';
import { JobEntity } from '../jobs/job.entity';
import { ExecutionStatus, JobExecutionEntity } from './job-execution.entity';
import { JobLogEntity, LogLevel } from './job-log.entity';

export const MAX_LOG_LINES_PER_JOB = 10_000;

export const leaseLost = (id: string) =>
  new DomainError('LEASE_LOST', `The lease on job ${id} is stale, foreign or expired; stop working on it.`);

type Ending = { status: 'SUBMITTED' | 'ERROR' | 'ABORTED' | 'COMPLETED'; message: string; execution: ExecutionStatus };

/**
 * The execution side of the jobs table. Every write a worker causes is conditional on the job
 * being RUNNING under the presented lease token, so a worker that lost its lease (paused, cut
 * off, expired) can never overwrite what the next holder did. Times come from the database clock.
 */
@Injectable()
export class WorkersRepository {
  constructor(private readonly database: Database) {}

  private get now() {
    return sqlNow(this.database.isMysql);
  }

  private plus(seconds: string) {
    return sqlNowPlusSeconds(this.database.isMysql, seconds);
  }

  /**
   * Claims up to `maxJobs` ready jobs of the queues, highest priority first, then oldest. On
   * MySQL/MariaDB the candidate rows are locked with SKIP LOCKED, so concurrent claims from any
   * number of instances take disjoint sets without waiting on each other; on SQLite the process's
   * single writer does the same job. READ COMMITTED, because under REPEATABLE READ the locking
   * read also takes gap locks at the edge of the ready range, exactly where every claim's UPDATE
   * inserts its RUNNING index entries: concurrent claims deadlocked there (docs/benchmarks.md).
   */
  claim(workerId: string, queues: string[], maxJobs: number, leaseSeconds: number): Promise<JobEntity[]> {
    return this.database.transaction(async (manager) => {
      const ids = await this.claimableIds(manager, queues, maxJobs);
      if (ids.length === 0) return [];

      const token = randomUUID();
      const idList = ids.map(() => '?').join(', ');
      const leaseEnd = `CASE WHEN timeout_seconds IS NOT NULL AND timeout_seconds < ? THEN ${this.plus('timeout_seconds')} ELSE ${this.plus('?')} END`;
      await manager.query(
        `UPDATE jobs SET status = 'RUNNING', status_message = ?, lease_token = ?, lease_seconds = ?, ` +
          `lease_expires_at = ${leaseEnd}, ` +
          `execution_deadline = CASE WHEN timeout_seconds IS NULL THEN NULL ELSE ${this.plus('timeout_seconds')} END, ` +
          `worker_id = ?, attempts = attempts + 1, execution_count = execution_count + 1, progress = NULL, run_after = NULL, ` +
          `started_at = COALESCE(started_at, ${this.now}), updated_at = ? ` +
          `WHERE id IN (${idList}) AND status = 'SUBMITTED'`,
        [
          `claimed by ${workerId}`.slice(0, 1024),
          token,
          leaseSeconds,
          leaseSeconds,
          leaseSeconds,
          workerId,
          this.sql.persistentValue('updatedAt', new Date()),
          ...ids,
        ],
      );

      const jobs = await this.sql.find(manager, this.sql.select(`id IN (${idList}) AND lease_token = ?`), [...ids, token]);
      const started = new Date();
      await manager.insert(
        JobExecutionEntity,
        jobs.map((job) => ({ jobId: String(job.id), number: job.executionCount, workerId, startedAt: started, endedAt: null, status: 'RUNNING' as const, error: null })),
      );
      const order = new Map(ids.map((id, index) => [id, index]));
      return jobs.sort((a, b) => (order.get(String(a.id)) ?? 0) - (order.get(String(b.id)) ?? 0));
    }, 'READ COMMITTED');
  }

  /**
   * The ids of up to `maxJobs` ready jobs in claim order (priority DESC, id ASC), locked on
   * MySQL/MariaDB. That mixed order cannot be read from `IDX_jobs_claim (status, queue, priority,
   * id)`, and a DESC key part is ignored by MariaDB before 10.8, so one query sorting every ready
   * job would lock every row it read (docs/benchmarks.md, finding 5). Instead each queue is walked
   * one priority level at a time, every statement an index range that stops at its LIMIT; the
   * queues' candidates are merged here. Candidates of other queues that miss the cut stay locked
   * until this short transaction ends; concurrent claims skip them meanwhile.
   */
  private async claimableIds(manager: EntityManager, queues: string[], maxJobs: number): Promise<string[]> {
    const candidates: { id: string; priority: number }[] = [];
    for (const queue of new Set(queues)) candidates.push(...(await this.claimableInQueue(manager, queue, maxJobs)));
    const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
    return candidates
      .sort((a, b) => b.priority - a.priority || byId(a.id, b.id))
      .slice(0, maxJobs)
      .map((candidate) => candidate.id);
  }

  private async claimableInQueue(manager: EntityManager, queue: string, maxJobs: number): Promise<{ id: string; priority: number }[]> {
    const found: { id: string; priority: number }[] = [];
    let below: number | undefined;
    while (found.length < maxJobs) {
      // The highest priority below the last level that has a ready job: a backward index range.
      const [level] = (await manager.query(
        `SELECT priority FROM ${this.ready}${below === undefined ? '' : ' AND priority < ?'} ORDER BY priority DESC LIMIT 1`,
        below === undefined ? [queue] : [queue, below],
      )) as { priority: number | string }[];
      if (!level) break;
      const priority = Number(level.priority);
      // Oldest first within the level: equality on every key part before id, so index order.
      const rows = (await manager.query(
        `SELECT id FROM ${this.ready} AND priority = ? ORDER BY id ASC LIMIT ${Number(maxJobs - found.length)}${this.database.isMysql ? ' FOR UPDATE SKIP LOCKED' : ''}`,
        [queue, priority],
      )) as { id: string | number }[];
      found.push(...rows.map((row) => ({ id: String(row.id), priority })));
      below = priority;
    }
    return found;
  }

  /**
   * Ready jobs of one queue (the queue is the first parameter). The hint keeps MySQL/MariaDB off
   * the primary key, which it prefers for `ORDER BY id LIMIT` on a big queue and which would read,
   * and lock, every older finished job first. Plain SQL: these run on every claim, and the query
   * builder cost more CPU than the statements themselves (docs/benchmarks.md).
   */
  private get ready(): string {
    const hint = this.database.isMysql ? ' USE INDEX (IDX_jobs_claim)' : '';
    return `jobs${hint} WHERE status = 'SUBMITTED' AND queue = ? AND (run_after IS NULL OR run_after <= ${this.now})`;
  }

  /** Extends the lease (never past the execution deadline) and answers whether an abort is requested. */
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
        .andWhere(`status = 'RUNNING' AND lease_expires_at > ${this.now}`)
        .execute(),
    );
    if (!result.affected) throw leaseLost(id);
    return this.byId(this.database.dataSource.manager, id);
  }

  complete(id: string, token: string, result: unknown): Promise<JobEntity> {
    return this.end(id, token, () => ({ status: 'COMPLETED', message: 'completed', execution: 'COMPLETED' }), {
      result: result ?? null,
      progress: 100,
    });
  }

  /** Fails the execution: a retry after backoff, ERROR when attempts are spent, ABORTED when asked. */
  fail(id: string, token: string, error: string, retryable: boolean): Promise<JobEntity> {
    return this.end(
      id,
      token,
      (job) => {
        const status = statusAfterFailure({ ...job, retryable });
        const execution: ExecutionStatus = status === 'ABORTED' ? 'ABORTED' : 'FAILED';
        const message =
          status === 'SUBMITTED'
            ? `attempt ${job.attempts} of ${job.maxAttempts} failed, retrying: ${error}`
            : status === 'ABORTED'
              ? 'aborted on request'
              : `failed after ${job.attempts} attempt(s): ${error}`;
        return { status, message, execution };
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

  /**
   * Returns jobs whose lease ran out to SUBMITTED (or ERROR when attempts are spent, ABORTED when
   * an abort was requested). Safe in every instance at once: each row moves only if it still holds
   * the lease token that was seen expiring. Answers the jobs this call moved, as they are now.
   */
  async expireLeases(limit = 100): Promise<JobEntity[]> {
    const expired = await this.database.dataSource.manager
      .createQueryBuilder(JobEntity, 'job')
      .where("job.status = 'RUNNING'")
      .andWhere(`job.leaseExpiresAt < ${this.now}`)
      .orderBy('job.leaseExpiresAt', 'ASC')
      .limit(limit)
      .getMany();
    const moved: JobEntity[] = [];
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
              message: status === 'ABORTED' ? 'aborted on request (lease expired)' : `attempt ${current.attempts}: ${reason}`,
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

  /** Ends the current execution of a job held under `token`, conditionally, in one transaction. */
  private end(
    id: string,
    token: string,
    decide: (job: JobEntity) => Ending,
    extra: Partial<Pick<JobEntity, 'result' | 'progress'>>,
    error?: string,
    onlyIfExpired = false,
  ): Promise<JobEntity> {
    return this.database.transaction(async (manager) => {
      const job = await this.holding(manager, id, token);
      const ending = decide(job);
      const finished = ending.status !== 'SUBMITTED';
      const retryAt =
        ending.status === 'SUBMITTED' && ending.execution !== 'EXPIRED'
          ? this.plus(String(retryDelaySeconds(job.attempts)))
          : null;
      const update = manager
        .createQueryBuilder()
        .update(JobEntity)
        .set({
          status: ending.status,
          statusMessage: ending.message.slice(0, 1024),
          leaseToken: null,
          leaseExpiresAt: null,
          executionDeadline: null,
          runAfter: retryAt ? () => retryAt : null,
          finishedAt: finished ? () => this.now : null,
          updatedAt: new Date(),
          ...extra,
        } as QueryDeepPartialEntity<JobEntity>)
        .where('id = :id AND lease_token = :token', { id, token })
        .andWhere("status = 'RUNNING'");
      if (onlyIfExpired) update.andWhere(`lease_expires_at < ${this.now}`);
      const result = await update.execute();
      if (!result.affected) throw leaseLost(id);
      await manager.update(
        JobExecutionEntity,
        { jobId: id, number: job.executionCount },
        { status: ending.execution, endedAt: new Date(), error: error?.slice(0, 4096) ?? null },
      );
      return this.byId(manager, id);
    });
  }

  /** The job, if it is RUNNING under this token; locked on MySQL for the rest of the transaction. */
  private async holding(manager: EntityManager, id: string, token: string): Promise<JobEntity> {
    const condition = `id = ? AND lease_token = ? AND status = 'RUNNING'${this.database.isMysql ? ' FOR UPDATE' : ''}`;
    const [job] = await this.sql.find(manager, this.sql.select(condition), [id, token]);
    if (!job) throw leaseLost(id);
    return job;
  }

  /** A job that exists: one this call has just held or moved. */
  private async byId(manager: EntityManager, id: string): Promise<JobEntity> {
    const [job] = await this.sql.find(manager, this.sql.selectWhere('id'), [id]);
    return job;
  }

  /** The statements of the claim and completion paths, written once (docs/benchmarks.md). */
  private get sql(): EntitySql<JobEntity> {
    return this.database.entitySql(JobEntity);
  }

  executions(jobId: string): Promise<JobExecutionEntity[]> {
    return this.database.dataSource.manager.find(JobExecutionEntity, { where: { jobId }, order: { number: 'ASC' } });
  }

  logs(jobId: string, afterId: string | undefined, limit: number): Promise<JobLogEntity[]> {
    return this.database.dataSource.manager.find(JobLogEntity, {
      where: afterId ? { jobId, id: MoreThan(afterId) } : { jobId },
      order: { id: 'ASC' },
      take: limit,
    });
  }
}
