import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobPurgeRepository } from '../jobs';
import { GatewayMetrics } from '../metrics';

/** Purges finished jobs older than RETENTION_DAYS in batches; safe in every instance at once (docs/operations.md, "Retention"). */
@Injectable()
export class JobRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobRetention.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopping = false;

  constructor(
    private readonly purge: JobPurgeRepository,
    private readonly config: AppConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  onApplicationBootstrap() {
    const { days, intervalMs } = this.config.retention;
    if (days === 0 || intervalMs === 0) return;
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy() {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep; skipped while the previous one runs. Answers how many jobs it purged. */
  async sweep(): Promise<number> {
    const { days, batchSize } = this.config.retention;
    if (days === 0 || this.running) return 0;
    this.running = this.purgeAll(days, batchSize).catch((error: unknown) => {
      this.logger.warn(`retention sweep failed: ${String(error)}`);
      return 0;
    });
    try {
      const purged = await this.running;
      if (purged > 0) this.logger.log(`purged ${purged} job(s) finished more than ${days} day(s) ago`);
      return purged;
    } finally {
      this.running = undefined;
    }
  }

  private async purgeAll(days: number, batchSize: number): Promise<number> {
    let total = 0;
    while (!this.stopping) {
      const purged = await this.purge.purgeBatch(days, batchSize);
      this.metrics.jobsPurged(purged);
      total += purged;
      if (purged < batchSize) break;
    }
    return total;
  }
}
