import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { JobExecutionsRepository } from '../jobs';
import { GatewayMetrics } from '../metrics';

/** Returns jobs whose worker went silent to the queue; safe in every instance at once (docs/workers.md, "Leases"). */
@Injectable()
export class LeaseReaper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LeaseReaper.name);
  private readonly task = new PeriodicTask(
    () => this.expireLeases(),
    (error) => {
      this.logger.warn(`lease sweep failed: ${String(error)}`);
      return 0;
    },
  );

  constructor(
    private readonly executions: JobExecutionsRepository,
    private readonly config: AppConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  onApplicationBootstrap() {
    if (this.config.workers.reaperIntervalMs === 0) return;
    this.task.start(this.config.workers.reaperIntervalMs);
  }

  onModuleDestroy() {
    return this.task.stop();
  }

  /** One pass; skipped while the previous one is still running. */
  async sweep(): Promise<number> {
    return (await this.task.runOnce()) ?? 0;
  }

  private async expireLeases(): Promise<number> {
    const moved = await this.executions.expireLeases();
    for (const { job, outcome, retrying } of moved) {
      this.metrics.leaseExpired(job.queue);
      this.metrics.executionEnded(job.queue, outcome);
      if (retrying) this.metrics.retried(job.queue, 'lease_expired');
    }
    if (moved.length > 0) this.logger.log(`returned ${moved.length} job(s) with expired leases`);
    return moved.length;
  }
}
