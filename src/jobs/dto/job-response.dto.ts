import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES, JobStatus } from '../job-status';
import { JobEntity } from '../job.entity';

export class WorkflowInstanceDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '7' }) workflowTemplateId: string;
  @ApiProperty({ example: 'import-orders' }) workflowTemplateName: string;
  @ApiProperty({ example: '3' }) workflowTemplateRevision: string;
  @ApiProperty() workflowTemplateDescription: string;
}

export class DficDto {
  @ApiProperty({ description: 'Dataflow instance id' }) dfiid: string;
  @ApiProperty({ description: 'Log correlation id (X-Correlation-Id of the submission)' }) lcid: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) userAttrs: Record<string, string>;
}

/** The Data One job, field for field, followed by this gateway's extensions. */
export class JobResponseDto {
  @ApiProperty({ example: '1042', description: '64-bit integer as a string of digits' }) id: string;
  @ApiProperty({ enum: JOB_STATUSES }) status: JobStatus;
  @ApiProperty() statusMessage: string;
  @ApiProperty({ example: '2026-11-23T10:15:30.123Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-23T10:15:30.123Z' }) updatedAt: string;
  @ApiProperty() submittedBy: string;
  @ApiProperty() queue: string;
  @ApiProperty() actor: string;
  @ApiProperty() contract: string;
  @ApiProperty() contractType: string;
  @ApiProperty() contractAction: string;
  @ApiProperty() contractActionTrigger: string;
  @ApiProperty({ type: WorkflowInstanceDto }) contractActionWorkflowInstance: WorkflowInstanceDto;
  @ApiProperty({ type: DficDto }) dfic: DficDto;
  @ApiProperty({ nullable: true, type: String }) extIPID: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) actionVariables: Record<string, unknown>;
  @ApiPropertyOptional() priority: number;
  @ApiPropertyOptional() attempts: number;
  @ApiPropertyOptional() maxAttempts: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '0-100, reported by the worker' }) progress: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) startedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) finishedAt: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'What the worker reported on completion' }) result: unknown;
  @ApiPropertyOptional({ nullable: true, type: String }) name: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) description: string | null;
  @ApiPropertyOptional({ type: [String] }) tags: string[];
  @ApiPropertyOptional({ description: 'An abort was requested while the job was running' }) abortRequested: boolean;
}

export class JobListResponseDto {
  @ApiProperty({ type: [JobResponseDto] }) jobs: JobResponseDto[];
  @ApiPropertyOptional({ description: 'Absolute path (from the context path) of the next page; absent on the last page' })
  next?: string;
  @ApiPropertyOptional({ description: 'All matching jobs, with includeTotal=true' }) total?: number;
}

export const MASKED_SECRET = '***';

/** The variables as a reader may see them: secret values masked unless `revealSecrets` (the claim answer). */
function visibleVariables(job: JobEntity, revealSecrets: boolean): Record<string, unknown> {
  if (revealSecrets || !job.secretVariables?.length) return job.actionVariables;
  const masked = { ...job.actionVariables };
  for (const name of job.secretVariables) if (Object.hasOwn(masked, name)) masked[name] = MASKED_SECRET;
  return masked;
}

export function toJobResponse(job: JobEntity, { revealSecrets = false } = {}): JobResponseDto {
  return {
    id: String(job.id),
    status: job.status,
    statusMessage: job.statusMessage,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    submittedBy: job.submittedBy,
    queue: job.queue,
    actor: job.actor,
    contract: job.contract,
    contractType: job.contractType,
    contractAction: job.contractAction,
    contractActionTrigger: job.contractActionTrigger,
    contractActionWorkflowInstance: {
      id: job.workflowInstanceId,
      workflowTemplateId: String(job.workflowTemplateId),
      workflowTemplateName: job.workflowTemplateName,
      workflowTemplateRevision: String(job.workflowTemplateRevision),
      workflowTemplateDescription: job.workflowTemplateDescription,
    },
    dfic: { dfiid: job.dfiid, lcid: job.lcid, userAttrs: job.userAttrs },
    extIPID: job.extIPID,
    actionVariables: visibleVariables(job, revealSecrets),
    priority: job.priority,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    progress: job.progress,
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    result: job.result ?? null,
    name: job.name,
    description: job.description,
    tags: job.tags ?? [],
    abortRequested: Boolean(job.abortRequested),
  };
}
