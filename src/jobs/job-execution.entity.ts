import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';
import type { JobEntity } from './job.entity';
import type { ExecutionStatus } from './job-status';


/** One attempt at a job: created by the claim, closed by complete, fail or lease expiry. */
@Entity({ name: 'job_executions' })
@Index('UQ_job_executions_job_number', ['jobId', 'number'], { unique: true })
export class JobExecutionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'job_id', type: 'bigint' })
  jobId: string;

  @ManyToOne('JobEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'FK_job_executions_job' })
  job?: JobEntity;

  @Column({ type: 'integer' })
  number: number;

  @Column({ name: 'worker_id', type: 'varchar', length: 128 })
  workerId: string;

  @TimestampColumn('started_at')
  startedAt: Date;

  @TimestampColumn('ended_at', { nullable: true })
  endedAt: Date | null;

  @Column({ type: 'varchar', length: 16 })
  status: ExecutionStatus;

  @Column({ type: 'varchar', length: 4096, nullable: true })
  error: string | null;
}
