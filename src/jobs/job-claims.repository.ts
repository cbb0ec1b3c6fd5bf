import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import type { EntitySql } from '../database/entity-sql';
import { sqlNow, sqlNowPlusSeconds } from '../database/sql-clock';
import { JobEntity } from './job.entity';
import { JobExecutionEntity } from './job-execution.entity';
import { JobStatus } from './job-status';
import { OpenQueue, QUEUE_GATE, type QueueGate } from './queue-gate';
import { JobTimelineRepository } from './job-timeline.repository';

const { SUBMITTED, RUNNING } = JobStatus;

/** The claim: hands ready jobs to a worker under a lease (docs/workers.md, docs/benchmarks.md finding 5). */
@Injectable()
export class JobClaimsRepository {
  constructor(
    private readonly database: Database,
    @Inject(QUEUE_GATE) private readonly queueGate: QueueGate,
    private readonly timeline: JobTimelineRepository,
  ) {}

  private get sql(): EntitySql<JobEntity> {
    return this.database.entitySql(JobEntity);
  }

  private plus(seconds: string) {
    return sqlNowPlusSeconds(this.database.isMysql, seconds);
  }

  /**
   * Up to `maxJobs` ready jobs of the open queues, by queue priority, job priority, then oldest, within
   * each queue's parallelism; concurrent claims take disjoint sets (SKIP LOCKED). READ COMMITTED avoids
   * gap-lock deadlocks (docs/benchmarks.md).
   */
  claim(workerId: string, queues: string[], maxJobs: number, leaseSeconds: number, now = new Date()): Promise<JobEntity[]> {
    return this.database.transaction(async (manager) => {
      const open = await this.queueGate.openForClaim(manager, queues, now);
      const ids = await this.claimableIds(manager, open, maxJobs);
      if (ids.length === 0) return [];

      const token = randomUUID();
      const idList = ids.map(() => '?').join(', ');
      const leaseEnd = `CASE WHEN timeout_seconds IS NOT NULL AND timeout_seconds < ? THEN ${this.plus('timeout_seconds')} ELSE ${this.plus('?')} END`;
      await manager.query(
        `UPDATE ${this.sql.table} SET status = '${RUNNING}', status_message = ?, lease_token = ?, lease_seconds = ?, ` +
          `lease_expires_at = ${leaseEnd}, ` +
          `execution_deadline = CASE WHEN timeout_seconds IS NULL THEN NULL ELSE ${this.plus('timeout_seconds')} END, ` +
          `worker_id = ?, attempts = attempts + 1, execution_count = execution_count + 1, progress = NULL, run_after = NULL, ` +
          `started_at = COALESCE(started_at, ${sqlNow(this.database.isMysql)}), updated_at = ? ` +
          `WHERE id IN (${idList}) AND status = '${SUBMITTED}'`,
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
        jobs.map((job) => ({ jobId: String(job.id), number: job.executionCount, workerId, startedAt: started, endedAt: null, status: RUNNING, error: null })),
      );
      await this.timeline.record(
        manager,
        jobs.map((job) => ({ jobId: String(job.id), type: 'job.claimed', actor: `worker:${workerId}`, data: { execution: job.executionCount, leaseSeconds } })),
      );
      const order = new Map(ids.map((id, index) => [id, index]));
      return jobs.sort((a, b) => (order.get(String(a.id)) ?? 0) - (order.get(String(b.id)) ?? 0));
    }, 'READ COMMITTED');
  }

  /** Ids in claim order, each queue walked one priority level at a time so every statement is an index range (docs/benchmarks.md, finding 5). */
  private async claimableIds(manager: EntityManager, queues: OpenQueue[], maxJobs: number): Promise<string[]> {
    const candidates: { id: string; priority: number; queuePriority: number }[] = [];
    for (const queue of queues) {
      const room = queue.parallelism > 0 ? Math.min(maxJobs, queue.parallelism - (await this.holding(manager, queue.name))) : maxJobs;
      if (room <= 0) continue;
      const found = await this.claimableInQueue(manager, queue.name, room);
      candidates.push(...found.map((candidate) => ({ ...candidate, queuePriority: queue.priority })));
    }
    const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
    return candidates
      .sort((a, b) => b.queuePriority - a.queuePriority || b.priority - a.priority || byId(a.id, b.id))
      .slice(0, maxJobs)
      .map((candidate) => candidate.id);
  }

  private async claimableInQueue(manager: EntityManager, queue: string, maxJobs: number): Promise<{ id: string; priority: number }[]> {
    const found: { id: string; priority: number }[] = [];
    let below: number | undefined;
    while (found.length < maxJobs) {
      const [level] = (await manager.query(
        `SELECT priority FROM ${this.ready}${below === undefined ? '' : ' AND priority < ?'} ORDER BY priority DESC LIMIT 1`,
        below === undefined ? [queue] : [queue, below],
      )) as { priority: number | string }[];
      if (!level) break;
      const priority = Number(level.priority);
      const rows = (await manager.query(
        `SELECT id FROM ${this.ready} AND priority = ? ORDER BY id ASC LIMIT ${Number(maxJobs - found.length)}${this.database.isMysql ? ' FOR UPDATE SKIP LOCKED' : ''}`,
        [queue, priority],
      )) as { id: string | number }[];
      found.push(...rows.map((row) => ({ id: String(row.id), priority })));
      below = priority;
    }
    return found;
  }

  /** RUNNING jobs of a queue whose lease still holds: an expired lease frees its slot at once (docs/queues.md, "Parallelism"). */
  private async holding(manager: EntityManager, queue: string): Promise<number> {
    const hint = this.database.isMysql ? ' USE INDEX (IDX_jobs_claim)' : '';
    const [row] = (await manager.query(
      `SELECT COUNT(*) AS n FROM ${this.sql.table}${hint} WHERE status = '${RUNNING}' AND queue = ? AND lease_expires_at > ${sqlNow(this.database.isMysql)}`,
      [queue],
    )) as { n: number | string }[];
    return Number(row?.n ?? 0);
  }

  /** Ready jobs of one queue (the first parameter); the hint keeps MySQL off the primary key (docs/benchmarks.md). */
  private get ready(): string {
    const hint = this.database.isMysql ? ' USE INDEX (IDX_jobs_claim)' : '';
    return `${this.sql.table}${hint} WHERE status = '${SUBMITTED}' AND queue = ? AND (run_after IS NULL OR run_after <= ${sqlNow(this.database.isMysql)})`;
  }
}
