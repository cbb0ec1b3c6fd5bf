// The webhooks feature's public surface (docs/architecture.md).
export { WebhooksModule } from './webhooks.module';
export { WebhookDispatcher } from './webhook-dispatcher';
export { WebhookDeliveryRetention } from './delivery-retention';
