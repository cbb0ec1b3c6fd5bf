import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { WorkersRepository } from './workers.repository';

/**
 * Returns jobs whose worker went silent to the queue. Runs in every instance; the conditional
 * updates in WorkersRepository.expireLeases make concurrent reapers harmless.
 */
@Injectable()
export class LeaseReaper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LeaseReaper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly workers: WorkersRepository,
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
    const pass = this.workers.expireLeases().catch((error: unknown) => {
      this.logger.warn(`lease sweep failed: ${String(error)}`);
      return [];
    });
    this.running = pass;
    try {
      const moved = await pass;
      for (const job of moved) {
        this.metrics.leaseExpired(job.queue);
        this.metrics.executionEnded(job.queue, job.status === 'ABORTED' ? 'ABORTED' : 'EXPIRED');
        if (job.status === 'SUBMITTED') this.metrics.retried(job.queue, 'lease_expired');
      }
      if (moved.length > 0) this.logger.log(`returned ${moved.length} job(s) with expired leases`);
      return moved.length;
    } finally {
      this.running = undefined;
    }
  }
}
