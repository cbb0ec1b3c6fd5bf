import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../database/columns';
import type { JobEntity } from './job.entity';

/** Every kind of change the timeline records (docs/events.md). */
export const JOB_EVENT_TYPES = [
  'job.submitted',
  'job.replayed',
  'job.claimed',
  'job.completed',
  'job.failed',
  'job.lease_expired',
  'job.abort_requested',
  'job.aborted',
  'job.suspended',
  'job.resumed',
  'job.restarted',
  'job.updated',
  'job.resubmitted',
] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/**
 * One entry of a job's timeline, written in the transaction of the change it records; it is also the
 * webhook outbox record until a dispatcher has fanned it out (docs/webhooks.md, "The outbox").
 */
@Entity({ name: 'job_events' })
@Index('IDX_job_events_job', ['jobId', 'id'])
@Index('IDX_job_events_dispatch', ['dispatched', 'id'])
export class JobEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'job_id', type: 'bigint' })
  jobId: string;

  @ManyToOne('JobEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'FK_job_events_job' })
  job?: JobEntity;

  @Column({ type: 'varchar', length: 32 })
  type: JobEventType;

  @TimestampColumn('at')
  at: Date;

  /** Who caused it: a principal name, `worker:<id>`, or `system:<part>`. */
  @Column({ type: 'varchar', length: 160 })
  actor: string;

  @JsonColumn('data')
  data: Record<string, unknown>;

  /** False until a webhook dispatcher has created its deliveries. */
  @Column({ type: 'boolean', default: false })
  dispatched: boolean;
}
