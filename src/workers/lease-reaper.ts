import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobExecutionsRepository } from '../jobs';
import { GatewayMetrics } from '../metrics';

/** Returns jobs whose worker went silent to the queue; safe in every instance at once (docs/workers.md, "Leases"). */
@Injectable()
export class LeaseReaper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LeaseReaper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly executions: JobExecutionsRepository,
    private readonly config: AppConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  onApplicationBootstrap() {
    if (this.config.workers.reaperIntervalMs === 0) return;
    this.timer = setInterval(() => void this.sweep(), this.config.workers.reaperIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy() {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; skipped while the previous one is still running. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    const pass = this.executions.expireLeases().catch((error: unknown) => {
      this.logger.warn(`lease sweep failed: ${String(error)}`);
      return [];
    });
    this.running = pass;
    try {
      const moved = await pass;
      for (const { job, outcome, retrying } of moved) {
        this.metrics.leaseExpired(job.queue);
        this.metrics.executionEnded(job.queue, outcome);
        if (retrying) this.metrics.retried(job.queue, 'lease_expired');
      }
      if (moved.length > 0) this.logger.log(`returned ${moved.length} job(s) with expired leases`);
      return moved.length;
    } finally {
      this.running = undefined;
    }
  }
}
