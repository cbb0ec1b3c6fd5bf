import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';
import { WebhookEntity } from './webhook.entity';

export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'DEAD'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event to send to one webhook, with the exact bytes every attempt sends (docs/webhooks.md, "The outbox"). */
@Entity('webhook_deliveries')
@Index('IDX_webhook_deliveries_claim', ['status', 'nextAttemptAt'])
@Index('IDX_webhook_deliveries_webhook', ['webhookId', 'id'])
@Index('UQ_webhook_deliveries_event', ['eventId', 'webhookId'], { unique: true })
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'webhook_id', type: 'integer' })
  webhookId: number;

  @ManyToOne(() => WebhookEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'FK_webhook_deliveries_webhook' })
  webhook?: WebhookEntity;

  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 32 })
  eventType: string;

  @Column({ name: 'job_id', type: 'bigint' })
  jobId: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** When it is due; while an attempt is in flight, the end of that attempt's lease. */
  @TimestampColumn('next_attempt_at')
  nextAttemptAt: Date;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 512, nullable: true })
  lastError: string | null;

  @TimestampColumn('created_at')
  createdAt: Date;

  @TimestampColumn('delivered_at', { nullable: true })
  deliveredAt: Date | null;
}
