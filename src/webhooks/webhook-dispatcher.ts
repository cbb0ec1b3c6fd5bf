import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { drainBatches, PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { FAN_OUT_BATCH, WebhookFanOut } from './webhook-fan-out';
import { WebhookDeliverer } from './webhook-deliverer';

/** The two background loops of every instance: fan-out of the outbox, then delivery (docs/webhooks.md, "The outbox"). */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private stopping = false;
  private readonly fanOutTask = new PeriodicTask(
    () => drainBatches(() => this.fanOut.fanOutBatch(), FAN_OUT_BATCH, () => this.stopping),
    (error) => this.failed('fan-out', error),
  );
  private readonly deliveryTask = new PeriodicTask(
    () => drainBatches(() => this.deliverer.deliverBatch(), this.config.webhooks.concurrency, () => this.stopping),
    (error) => this.failed('delivery', error),
  );

  constructor(
    private readonly fanOut: WebhookFanOut,
    private readonly deliverer: WebhookDeliverer,
    private readonly config: AppConfig,
    private readonly database: Database,
  ) {}

  onApplicationBootstrap() {
    const { intervalMs } = this.config.webhooks;
    if (intervalMs === 0) return;
    // The fan-out reads jobs on a second connection while its transaction holds the only one of an in-memory database.
    if (this.database.dataSource.options.database === ':memory:') {
      this.logger.warn('webhooks are not delivered from an in-memory SQLite database');
      return;
    }
    this.fanOutTask.start(intervalMs);
    this.deliveryTask.start(intervalMs);
  }

  async onModuleDestroy() {
    this.stopping = true;
    this.deliverer.abortInFlight();
    await Promise.all([this.fanOutTask.stop(), this.deliveryTask.stop()]);
  }

  /** One pass of each loop now (tests, and a caller that cannot wait for the timer). */
  async runOnce(): Promise<void> {
    await this.fanOutTask.runOnce();
    await this.deliveryTask.runOnce();
  }

  private failed(loop: string, error: unknown): number {
    this.logger.warn(`webhook ${loop} pass failed: ${String(error)}`);
    return 0;
  }
}
