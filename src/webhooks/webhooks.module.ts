import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobsModule } from '../jobs';
import { WebhookDeliveryRetention } from './delivery-retention';
import { WebhookDeliverer } from './webhook-deliverer';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEntity } from './webhook.entity';
import { WebhookFanOut } from './webhook-fan-out';
import { WebhookMetrics } from './webhook-metrics';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** The owner of the webhook tables: the admin API, the outbox fan-out and the deliveries (docs/webhooks.md). */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEntity, WebhookDeliveryEntity]), JobsModule],
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhooksService, WebhookFanOut, WebhookDeliverer, WebhookDispatcher, WebhookMetrics, WebhookDeliveryRetention],
  exports: [WebhookDispatcher, WebhookDeliveryRetention],
})
export class WebhooksModule {}
