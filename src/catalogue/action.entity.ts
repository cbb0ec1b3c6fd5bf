import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../database/columns';
import type { ActionSchedule } from './action-schedule';
import type { ContractEntity } from './contract.entity';
import type { VariableDeclaration } from './variables';

export const TRIGGERS = ['ON_DEMAND', 'SCHEDULED', 'EVENT', 'TIME'] as const;
export type ActionTrigger = (typeof TRIGGERS)[number];

/** What a duplicate submission with other variables gets: the existing job (409), or a 422 (docs/idempotency.md, "Variables that differ"). */
export const MISMATCH_POLICIES = ['REPLAY', 'REJECT'] as const;
export type MismatchPolicy = (typeof MISMATCH_POLICIES)[number];

export interface WorkflowTemplate {
  id: string;
  name: string;
  revision: string;
  description: string;
}

@Entity({ name: 'actions' })
@Index('UQ_actions_contract_name', ['contractId', 'name'], { unique: true })
export class ActionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'contract_id', type: 'integer' })
  contractId: number;

  @ManyToOne('ContractEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'FK_actions_contract' })
  contract?: ContractEntity;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  trigger: ActionTrigger;

  @Column({ type: 'varchar', length: 128 })
  queue: string;

  @JsonColumn('workflow_template')
  workflowTemplate: WorkflowTemplate;

  @JsonColumn('variables')
  variables: VariableDeclaration[];

  @JsonColumn('allowed_roles')
  allowedRoles: string[];

  @Column({ name: 'max_attempts', type: 'integer' })
  maxAttempts: number;

  @Column({ name: 'timeout_seconds', type: 'integer', nullable: true })
  timeoutSeconds: number | null;

  @Column({ type: 'integer' })
  priority: number;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ name: 'on_mismatch', type: 'varchar', length: 8, default: 'REPLAY' })
  onMismatch: MismatchPolicy;

  @JsonColumn('schedule', { nullable: true })
  schedule: ActionSchedule | null;

  @TimestampColumn('created_at')
  createdAt: Date;

  @TimestampColumn('updated_at')
  updatedAt: Date;
}
