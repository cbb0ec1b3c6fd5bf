import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { JobEntity } from '../jobs/job.entity';
import { parseJobId } from '../jobs/jobs.service';
import { JobEvents } from '../jobs/job-events';
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
      const jobs = await this.workers.claim(dto.workerId, queues, dto.maxJobs ?? 1, dto.leaseSeconds ?? 60);
      const remaining = deadline - Date.now();
      if (jobs.length > 0 || remaining <= 0 || this.closing) {
        return jobs.map((job) => ({ job, leaseToken: job.leaseToken as string }));
      }
      await this.events.waitForSubmission(queues, Math.min(remaining, POLL_INTERVAL_MS));
    }
  }

  heartbeat(rawId: string, dto: HeartbeatDto) {
    const progress = dto.progress === undefined ? undefined : Math.round(dto.progress);
    return this.workers.heartbeat(parseJobId(rawId), dto.leaseToken, progress, dto.message);
  }

  complete(rawId: string, dto: CompleteDto) {
    return this.workers.complete(parseJobId(rawId), dto.leaseToken, dto.result);
  }

  fail(rawId: string, dto: FailDto) {
    return this.workers.fail(parseJobId(rawId), dto.leaseToken, dto.error, dto.retryable ?? true);
  }

  appendLogs(rawId: string, dto: AppendLogsDto) {
    return this.workers.appendLogs(
      parseJobId(rawId),
      dto.leaseToken,
      dto.lines.map((line) => ({ message: line.message, level: line.level ?? 'info' })),
    );
  }
}
