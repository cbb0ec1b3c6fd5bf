import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { GatewayMetrics } from '../metrics';
import { nextAttemptDelayMs } from './webhook-backoff';
import { sendWebhook } from './webhook-sender';
import { webhookHeaders, webhookMessageId } from './webhook-signature';
import { ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

/** Added to the request timeout for the in-flight lease: the time to record the outcome. */
export const LEASE_MARGIN_MS = 5000;

/** Sends due deliveries; any instance may, each claimed delivery by one at a time (docs/webhooks.md, "The outbox"). */
@Injectable()
export class WebhookDeliverer {
  private readonly logger = new Logger(WebhookDeliverer.name);
  private readonly shutdown = new AbortController();

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly config: AppConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Claims up to WEBHOOK_CONCURRENCY due deliveries and attempts them together; answers how many it claimed. */
  async deliverBatch(): Promise<number> {
    const { concurrency, timeoutMs } = this.config.webhooks;
    const claimed = await this.webhooks.claimDue(concurrency, timeoutMs + LEASE_MARGIN_MS);
    await Promise.all(claimed.map((item) => this.attempt(item)));
    return claimed.length;
  }

  /** Drops the attempts in flight unrecorded: their leases run out and any instance sends them again. */
  abortInFlight(): void {
    this.shutdown.abort();
  }

  private async attempt({ delivery, url, secret }: ClaimedDelivery): Promise<void> {
    const { timeoutMs, allowPrivateNetworks, retryBaseMs, maxAttempts, retryHours } = this.config.webhooks;
    const headers = webhookHeaders(secret, webhookMessageId(delivery.id), delivery.body);
    const result = await sendWebhook(url, headers, delivery.body, { timeoutMs, allowPrivateNetworks, signal: this.shutdown.signal });
    if (result.aborted) return;
    if (!result.error) {
      await this.webhooks.recordSuccess(delivery.id, result.statusCode ?? 200);
      this.metrics.webhookDelivery('succeeded');
      return;
    }
    const retryInMs = nextAttemptDelayMs({ baseMs: retryBaseMs, maxAttempts, retryHours }, delivery.attempts, delivery.createdAt);
    await this.webhooks.recordFailure(delivery.id, result.statusCode, result.error, retryInMs);
    this.metrics.webhookDelivery(retryInMs === undefined ? 'dead' : 'failed');
    if (retryInMs === undefined) this.logger.warn(`webhook delivery ${delivery.id} is dead after ${delivery.attempts} attempt(s): ${result.error}`);
  }
}
