import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { drainBatches, PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { JobPurgeRepository } from '../jobs';
import { GatewayMetrics } from '../metrics';
import { WebhookDeliveryRetention } from '../webhooks';

/** Purges finished jobs, then ended webhook deliveries, older than RETENTION_DAYS in batches; safe in every instance at once (docs/operations.md, "Retention"). */
@Injectable()
export class JobRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobRetention.name);
  private readonly task = new PeriodicTask(
    () => this.purgeAll(),
    (error) => {
      this.logger.warn(`retention sweep failed: ${String(error)}`);
      return 0;
    },
  );
  private stopping = false;

  constructor(
    private readonly purge: JobPurgeRepository,
    private readonly deliveries: WebhookDeliveryRetention,
    private readonly config: AppConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  onApplicationBootstrap() {
    const { days, intervalMs } = this.config.retention;
    if (days === 0 || intervalMs === 0) return;
    this.task.start(intervalMs);
  }

  async onModuleDestroy() {
    this.stopping = true;
    await this.task.stop();
  }

  /** One sweep; skipped while the previous one runs. Answers how many jobs it purged. */
  async sweep(): Promise<number> {
    if (this.config.retention.days === 0) return 0;
    return (await this.task.runOnce()) ?? 0;
  }

  private async purgeAll(): Promise<number> {
    const { days, batchSize } = this.config.retention;
    const stopped = () => this.stopping;
    const jobs = await drainBatches(
      async () => {
        const purged = await this.purge.purgeBatch(days, batchSize);
        this.metrics.jobsPurged(purged);
        return purged;
      },
      batchSize,
      stopped,
    );
    if (jobs > 0) this.logger.log(`purged ${jobs} job(s) finished more than ${days} day(s) ago`);
    const deliveries = await drainBatches(() => this.deliveries.purgeBatch(days, batchSize), batchSize, stopped);
    if (deliveries > 0) this.logger.log(`purged ${deliveries} webhook deliveries whose last attempt was more than ${days} day(s) ago`);
    return jobs;
  }
}
