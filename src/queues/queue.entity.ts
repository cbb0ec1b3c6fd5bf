import { Column, Entity, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../database/columns';

export const QUEUE_STATUSES = ['ENABLED', 'SCHEDULED', 'DISABLED'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** A daily window, local to the queue's timezone; `from` after `to` crosses midnight. */
export interface TimeSlot {
  from: string;
  to: string;
}

/** Data One's queue: when and how many of its jobs run (docs/queues.md). */
@Entity('queues')
export class QueueEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  description: string | null;

  /** 1 (very low) to 10 (very high): queues are served in this order, before job priority. */
  @Column({ type: 'integer' })
  priority: number;

  /** At most this many RUNNING jobs at once; 0: unbounded. */
  @Column({ type: 'integer' })
  parallelism: number;

  @Column({ type: 'varchar', length: 16 })
  status: QueueStatus;

  @JsonColumn('time_slots')
  timeSlots: TimeSlot[];

  /** IANA name; the time slots are read in it. */
  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  @TimestampColumn('created_at')
  createdAt: Date;

  @TimestampColumn('updated_at')
  updatedAt: Date;
}

/** What an undeclared queue behaves as, and what a queue created for an action starts with. */
export const QUEUE_DEFAULTS = {
  description: null,
  priority: 5,
  parallelism: 0,
  status: 'ENABLED',
  timeSlots: [],
  timezone: 'UTC',
} as const satisfies Omit<QueueEntity, 'name' | 'createdAt' | 'updatedAt'>;
