import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { JobEntity } from '../jobs/job.entity';
import { parseJobId } from '../jobs/jobs.service';
import { JobEvents } from '../jobs/job-events';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { AppendLogsDto, ClaimDto, CompleteDto, FailDto, HeartbeatDto } from './dto/worker.dto';
import { WorkersRepository } from './workers.repository';

// Submissions on other instances are not announced here: poll for them at this pace.
const POLL_INTERVAL_MS = 500;

@Injectable()
export class WorkersService implements OnModuleDestroy {
  private closing = false;

  constructor(
    private readonly workers: WorkersRepository,
    private readonly events: JobEvents,
    private readonly metrics: GatewayMetrics,
  ) {}

  onModuleDestroy() {
    this.closing = true;
    this.events.wakeAll();
  }

  /** Claims ready jobs, long-polling up to waitSeconds when none is ready. */
  async claim(dto: ClaimDto): Promise<{ job: JobEntity; leaseToken: string }[]> {
    const deadline = Date.now() + (dto.waitSeconds ?? 0) * 1000;
    const queues = [...new Set(dto.queues)];
    for (;;) {
      const started = performance.now();
      const jobs = await this.workers.claim(dto.workerId, queues, dto.maxJobs ?? 1, dto.leaseSeconds ?? 60);
      this.metrics.claimQuery((performance.now() - started) / 1000);
      this.recordClaimed(jobs);
      const remaining = deadline - Date.now();
      if (jobs.length > 0 || remaining <= 0 || this.closing) {
        return jobs.map((job) => ({ job, leaseToken: job.leaseToken as string }));
      }
      await this.events.waitForSubmission(queues, Math.min(remaining, POLL_INTERVAL_MS));
    }
  }

  private recordClaimed(jobs: JobEntity[]) {
    const now = Date.now();
    for (const job of jobs) {
      // Only a job's first execution measures the wait from submission; retries wait on purpose.
      this.metrics.jobClaimed(job.queue, job.executionCount === 1 ? (now - job.createdAt.getTime()) / 1000 : undefined);
    }
  }

  heartbeat(rawId: string, dto: HeartbeatDto) {
    const progress = dto.progress === undefined ? undefined : Math.round(dto.progress);
    return this.workers.heartbeat(parseJobId(rawId), dto.leaseToken, progress, dto.message);
  }

  async complete(rawId: string, dto: CompleteDto) {
    const job = await this.workers.complete(parseJobId(rawId), dto.leaseToken, dto.result);
    this.metrics.executionEnded(job.queue, 'COMPLETED');
    return job;
  }

  async fail(rawId: string, dto: FailDto) {
    const job = await this.workers.fail(parseJobId(rawId), dto.leaseToken, dto.error, dto.retryable ?? true);
    this.metrics.executionEnded(job.queue, job.status === 'ABORTED' ? 'ABORTED' : 'FAILED');
    if (job.status === 'SUBMITTED') this.metrics.retried(job.queue, 'failed');
    return job;
  }

  appendLogs(rawId: string, dto: AppendLogsDto) {
    return this.workers.appendLogs(
      parseJobId(rawId),
      dto.leaseToken,
      dto.lines.map((line) => ({ message: line.message, level: line.level ?? 'info' })),
    );
  }
}
