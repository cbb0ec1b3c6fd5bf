import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ExecutionEnded, JobClaimsRepository, JobEntity, JobSignals, JobExecutionsRepository } from '../jobs';
import { RateLimits } from '../common/rate-limit/rate-limit';
import { GatewayMetrics } from '../metrics';
import { AppendLogsDto, ClaimDto, ClaimNextDto, CompleteDto, FailDto, HeartbeatDto } from './dto/worker.dto';

// Submissions on other instances are not announced here: poll for them at this pace.
const POLL_INTERVAL_MS = 500;

@Injectable()
export class WorkersService implements OnModuleDestroy {
  private closing = false;

  constructor(
    private readonly claims: JobClaimsRepository,
    private readonly executions: JobExecutionsRepository,
    private readonly signals: JobSignals,
    private readonly metrics: GatewayMetrics,
    private readonly rateLimits: RateLimits,
  ) {}

  onModuleDestroy() {
    this.closing = true;
    this.signals.wakeAll();
  }

  /** Claims ready jobs, long-polling up to waitSeconds when none is ready, and never for a client that has gone. */
  async claim(dto: ClaimDto, clientGone?: AbortSignal): Promise<{ job: JobEntity; leaseToken: string }[]> {
    const deadline = Date.now() + (dto.waitSeconds ?? 0) * 1000;
    const queues = [...new Set(dto.queues)];
    for (;;) {
      // A job claimed for a closed connection would sit RUNNING until its lease ran out (docs/workers.md, "Claiming").
      if (clientGone?.aborted) return [];
      const started = performance.now();
      const jobs = await this.claims.claim(dto.workerId, queues, dto.maxJobs ?? 1, dto.leaseSeconds ?? 60);
      this.metrics.claimQuery((performance.now() - started) / 1000);
      this.recordClaimed(jobs);
      const remaining = deadline - Date.now();
      if (jobs.length > 0 || remaining <= 0 || this.closing) {
        return jobs.map((job) => ({ job, leaseToken: job.leaseToken as string }));
      }
      await this.signals.waitForSubmission(queues, Math.min(remaining, POLL_INTERVAL_MS));
      // Woken by shutdown: the database is about to close, so answer "nothing yet" instead of querying it.
      if (this.closing) return [];
    }
  }

  private recordClaimed(jobs: JobEntity[]) {
    const now = Date.now();
    for (const job of jobs) {
      // Only a job's first execution measures its wait, from when it could first run; retries wait on purpose.
      const readySince = Math.max(job.createdAt.getTime(), job.notBefore?.getTime() ?? 0);
      this.metrics.jobClaimed(job.queue, job.executionCount === 1 ? (now - readySince) / 1000 : undefined);
    }
  }

  heartbeat(id: string, dto: HeartbeatDto) {
    const progress = dto.progress === undefined ? undefined : Math.round(dto.progress);
    return this.executions.heartbeat(id, dto.leaseToken, progress, dto.message);
  }

  async complete(id: string, dto: CompleteDto, principal: string): Promise<{ job: JobEntity; claimed?: JobEntity[] }> {
    const job = this.recordEnded(await this.executions.complete(id, dto.leaseToken, dto.result));
    return { job, ...(dto.claimNext ? { claimed: await this.claimNext(job, dto.claimNext, principal) } : {}) };
  }

  async fail(id: string, dto: FailDto, principal: string): Promise<{ job: JobEntity; claimed?: JobEntity[] }> {
    const job = this.recordEnded(await this.executions.fail(id, dto.leaseToken, dto.error, dto.retryable ?? true));
    return { job, ...(dto.claimNext ? { claimed: await this.claimNext(job, dto.claimNext, principal) } : {}) };
  }

  /** The next claim of the worker that held `ended`, without a long-poll: a busy worker needs one round trip per job. */
  private async claimNext(ended: JobEntity, next: ClaimNextDto, principal: string): Promise<JobEntity[]> {
    // A claim like any other, charged to the claim budget; when that is spent the end still stands and nothing is claimed (docs/workers.md, "Complete and claim").
    if (!this.rateLimits.tryCharge('claim', principal)) return [];
    const started = performance.now();
    const jobs = await this.claims.claim(ended.workerId as string, [...new Set(next.queues)], next.maxJobs ?? 1, next.leaseSeconds ?? 60);
    this.metrics.claimQuery((performance.now() - started) / 1000);
    this.recordClaimed(jobs);
    return jobs;
  }

  appendLogs(id: string, dto: AppendLogsDto) {
    return this.executions.appendLogs(
      id,
      dto.leaseToken,
      dto.lines.map((line) => ({ message: line.message, level: line.level ?? 'info' })),
    );
  }

  private recordEnded({ job, outcome, retrying }: ExecutionEnded): JobEntity {
    this.signals.jobChanged(String(job.id));
    this.metrics.executionEnded(job.queue, outcome);
    if (retrying) this.metrics.retried(job.queue, 'failed');
    return job;
  }
}
