import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Principal } from '../common/principal';
import { DomainError } from '../common/errors/domain-error';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { JobEntity } from './job.entity';
import { JobSignals } from './job-signals';
import { FINISHED_STATUSES } from './job-status';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

const isFinished = (job: JobEntity) => FINISHED_STATUSES.includes(job.status);

/**
 * `GET /jobs/{id}?waitSeconds=N`: waiters hold no connection; one query per poll looks at every waited
 * job, and this instance's own changes wake them at once (docs/events.md, "Waiting for a job").
 */
@Injectable()
export class JobWaitsService implements OnModuleInit, OnModuleDestroy {
  private waiting = 0;
  private closing = false;
  private readonly poller: PeriodicTask<void>;
  private readonly logger = new Logger(JobWaitsService.name);

  constructor(
    private readonly jobs: JobsRepository,
    private readonly jobsService: JobsService,
    private readonly signals: JobSignals,
    private readonly config: AppConfig,
  ) {
    this.poller = new PeriodicTask(
      () => this.poll(),
      (error) => this.logger.warn(`Polling waited jobs failed: ${String(error)}`),
    );
  }

  onModuleInit() {
    this.poller.start(this.config.jobWaits.pollMs);
  }

  async onModuleDestroy() {
    this.closing = true;
    this.signals.wakeAll();
    await this.poller.stop();
  }

  /** The job once it is COMPLETED, ERROR or ABORTED, or as it is when `waitSeconds` have passed. */
  async waitForEnd(principal: Principal, id: string, waitSeconds: number, gone?: AbortSignal): Promise<JobEntity> {
    let job = await this.jobsService.get(principal, id);
    if (waitSeconds <= 0 || isFinished(job)) return job;
    if (this.waiting >= this.config.jobWaits.maxWaiters) {
      throw new DomainError('TOO_MANY_WAITERS', `This instance already holds ${this.waiting} waiting requests; retry, or poll without waitSeconds.`, {
        headers: { 'Retry-After': '1' },
      });
    }
    this.waiting++;
    try {
      const deadline = Date.now() + waitSeconds * 1000;
      for (;;) {
        const woken = await this.signals.waitForJob(id, deadline - Date.now(), gone);
        // Shutting down, or nobody is listening any more: answer without another read.
        if (this.closing || gone?.aborted) return job;
        job = await this.jobsService.get(principal, id);
        if (!woken || isFinished(job) || Date.now() >= deadline) return job;
      }
    } finally {
      this.waiting--;
    }
  }

  /** Wakes the waiters of jobs that finished, wherever they changed: one statement for all of them. */
  private async poll(): Promise<void> {
    const ids = this.signals.waitedJobs();
    if (ids.length === 0) return;
    for (const id of await this.jobs.findFinishedAmong(ids)) this.signals.jobChanged(id);
  }
}
