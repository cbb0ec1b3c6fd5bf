import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';
import type { JobEntity } from './job.entity';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

@Entity({ name: 'job_logs' })
@Index('IDX_job_logs_job_id', ['jobId', 'id'])
export class JobLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'job_id', type: 'bigint' })
  jobId: string;

  @ManyToOne('JobEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'FK_job_logs_job' })
  job?: JobEntity;

  /** The execution (attempt) number that wrote the line. */
  @Column({ type: 'integer' })
  execution: number;

  @TimestampColumn('at')
  at: Date;

  @Column({ type: 'varchar', length: 8 })
  level: LogLevel;

  @Column({ type: 'varchar', length: 4096 })
  message: string;
}
