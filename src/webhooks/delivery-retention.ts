import { Injectable } from '@nestjs/common';
import { WebhooksRepository } from './webhooks.repository';

/** What retention may do to the webhook tables: drop the history of ended deliveries (docs/operations.md, "Retention"). */
@Injectable()
export class WebhookDeliveryRetention {
  constructor(private readonly deliveries: WebhooksRepository) {}

  purgeBatch(days: number, batchSize: number): Promise<number> {
    return this.deliveries.purgeEnded(days, batchSize);
  }
}
