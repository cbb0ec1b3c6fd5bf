import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../database/columns';
import type { JobStatus } from './job-status';

/** A job with the snapshot of its contract and action taken at submission; catalogue edits never change it. */
@Entity({ name: 'jobs' })
@Index('UQ_jobs_ipid', ['ipid'], { unique: true })
@Index('IDX_jobs_status_id', ['status', 'id'])
@Index('IDX_jobs_contract_id', ['contract', 'id'])
@Index('IDX_jobs_submitted_by_id', ['submittedBy', 'id'])
@Index('IDX_jobs_queue_id', ['queue', 'id'])
@Index('IDX_jobs_created_at_id', ['createdAt', 'id'])
@Index('IDX_jobs_updated_at_id', ['updatedAt', 'id'])
@Index('IDX_jobs_claim', ['status', 'queue', 'priority', 'id'])
@Index('IDX_jobs_lease', ['status', 'leaseExpiresAt'])
@Index('IDX_jobs_finished_at_id', ['finishedAt', 'id'])
@Index('IDX_jobs_submitted_by_facets', ['submittedBy', 'status', 'queue', 'contract'])
@Index('IDX_jobs_finished_stats', ['finishedAt', 'status', 'submittedBy'])
@Index('IDX_jobs_submitted_by_created_at', ['submittedBy', 'createdAt'])
@Index('IDX_jobs_resubmitted_from', ['resubmittedFrom', 'id'])
export class JobEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** SHA-256 hex of (user, contract, action, extIPID); null when no extIPID was given. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ipid: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: JobStatus;

  @Column({ name: 'status_message', type: 'varchar', length: 1024 })
  statusMessage: string;

  @TimestampColumn('created_at')
  createdAt: Date;

  @TimestampColumn('updated_at')
  updatedAt: Date;

  @Column({ name: 'submitted_by', type: 'varchar', length: 128 })
  submittedBy: string;

  @Column({ type: 'varchar', length: 128 })
  queue: string;

  @Column({ type: 'varchar', length: 128 })
  actor: string;

  @Column({ type: 'varchar', length: 128 })
  contract: string;

  @Column({ name: 'contract_type', type: 'varchar', length: 16 })
  contractType: string;

  @Column({ name: 'contract_action', type: 'varchar', length: 128 })
  contractAction: string;

  @Column({ name: 'contract_action_trigger', type: 'varchar', length: 32 })
  contractActionTrigger: string;

  @Column({ name: 'workflow_instance_id', type: 'varchar', length: 36 })
  workflowInstanceId: string;

  /** A long (Data One); sorted numerically. */
  @Column({ name: 'workflow_template_id', type: 'bigint' })
  workflowTemplateId: string;

  @Column({ name: 'workflow_template_name', type: 'varchar', length: 128 })
  workflowTemplateName: string;

  @Column({ name: 'workflow_template_revision', type: 'bigint' })
  workflowTemplateRevision: string;

  @Column({ name: 'workflow_template_description', type: 'varchar', length: 1024 })
  workflowTemplateDescription: string;

  @Column({ type: 'varchar', length: 36 })
  dfiid: string;

  @Column({ type: 'varchar', length: 128 })
  lcid: string;

  @JsonColumn('user_attrs')
  userAttrs: Record<string, string>;

  @Column({ name: 'ext_ipid', type: 'varchar', length: 64, nullable: true })
  extIPID: string | null;

  @JsonColumn('action_variables')
  actionVariables: Record<string, unknown>;

  /** Variables declared `secret`, shown as "***" in every answer but the claim. */
  @JsonColumn('secret_variables', { nullable: true })
  secretVariables: string[] | null;

  @Column({ type: 'integer' })
  priority: number;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'max_attempts', type: 'integer' })
  maxAttempts: number;

  @Column({ name: 'timeout_seconds', type: 'integer', nullable: true })
  timeoutSeconds: number | null;

  @Column({ name: 'abort_requested', type: 'boolean', default: false })
  abortRequested: boolean;

  /** Executions so far; unlike `attempts`, a restart keeps it, so execution numbers stay unique. */
  @Column({ name: 'execution_count', type: 'integer', default: 0 })
  executionCount: number;

  /** The current claim's lease; every worker write must present it (docs/workers.md). */
  @Column({ name: 'lease_token', type: 'varchar', length: 36, nullable: true })
  leaseToken: string | null;

  @TimestampColumn('lease_expires_at', { nullable: true })
  leaseExpiresAt: Date | null;

  @Column({ name: 'lease_seconds', type: 'integer', nullable: true })
  leaseSeconds: number | null;

  /** started + timeoutSeconds of the current execution: heartbeats never extend the lease past it. */
  @TimestampColumn('execution_deadline', { nullable: true })
  executionDeadline: Date | null;

  @Column({ name: 'worker_id', type: 'varchar', length: 128, nullable: true })
  workerId: string | null;

  /** Not claimable before this instant (retry backoff, or notBefore); null: at once. */
  @TimestampColumn('run_after', { nullable: true })
  runAfter: Date | null;

  /** Not claimable before this instant (submit's notBefore); run_after returns to it on resume and restart. */
  @TimestampColumn('not_before', { nullable: true })
  notBefore: Date | null;

  @Column({ type: 'integer', nullable: true })
  progress: number | null;

  @TimestampColumn('started_at', { nullable: true })
  startedAt: Date | null;

  @TimestampColumn('finished_at', { nullable: true })
  finishedAt: Date | null;

  @JsonColumn('result', { nullable: true })
  result: unknown;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name: string | null;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  description: string | null;

  @JsonColumn('tags', { nullable: true })
  tags: string[] | null;

  /** The job this one was resubmitted from (docs/events.md, "Resubmit"). */
  @Column({ name: 'resubmitted_from', type: 'bigint', nullable: true })
  resubmittedFrom: string | null;
}
