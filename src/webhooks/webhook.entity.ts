import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../database/columns';

/** A receiver of signed job events (docs/webhooks.md). */
@Entity('webhooks')
export class WebhookEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** Event types it is subscribed to (`job.completed` …). */
  @JsonColumn('events')
  events: string[];

  /** Contract names whose jobs it hears about; null: every contract. */
  @JsonColumn('contracts', { nullable: true })
  contracts: string[] | null;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  description: string | null;

  /** `whsec_` + base64 of the HMAC key; shown once, at creation. */
  @Column({ type: 'varchar', length: 64 })
  secret: string;

  @TimestampColumn('created_at')
  createdAt: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 160 })
  createdBy: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;
}
