import { Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { GatewayMetrics } from '../metrics';
import { OutboxBacklog, WebhooksRepository } from './webhooks.repository';

/** However often Prometheus scrapes, the outbox is counted at most this often. */
const BACKLOG_MAX_AGE_MS = 5000;

/** Scrape-time gauges of the outbox, registered into the gateway's registry (docs/operations.md, "Metrics"). */
@Injectable()
export class WebhookMetrics {
  private readonly logger = new Logger(WebhookMetrics.name);
  private backlog: OutboxBacklog = { pendingDeliveries: 0, undispatchedEvents: 0 };
  private countedAt = 0;
  private counting?: Promise<void>;

  constructor(metrics: GatewayMetrics, private readonly webhooks: WebhooksRepository) {
    const registers = [metrics.registry];
    const depth: Gauge<'stage'> = new Gauge({
      name: 'gateway_webhook_outbox_depth',
      help: 'Webhook outbox backlog: job events not fanned out yet (stage=events) and deliveries not ended (stage=deliveries)',
      labelNames: ['stage'] as const,
      registers,
      collect: async () => {
        await this.refresh();
        depth.set({ stage: 'events' }, this.backlog.undispatchedEvents);
        depth.set({ stage: 'deliveries' }, this.backlog.pendingDeliveries);
      },
    });
    const oldest: Gauge = new Gauge({
      name: 'gateway_webhook_oldest_pending_seconds',
      help: 'Age of the oldest undispatched job event or pending webhook delivery; 0 when none',
      registers,
      collect: async () => {
        await this.refresh();
        const at = this.backlog.oldestPendingAt;
        oldest.set(at ? Math.max(0, (Date.now() - at.getTime()) / 1000) : 0);
      },
    });
  }

  /** Concurrent collects share one count; a failed count keeps the last values. */
  private refresh(): Promise<void> {
    if (Date.now() - this.countedAt < BACKLOG_MAX_AGE_MS) return Promise.resolve();
    this.counting ??= this.webhooks
      .backlog()
      .then((backlog) => {
        this.backlog = backlog;
        this.countedAt = Date.now();
      })
      .catch((error: unknown) => this.logger.warn(`counting the webhook outbox failed: ${String(error)}`))
      .finally(() => (this.counting = undefined));
    return this.counting;
  }
}
