import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES, JobStatus } from '../job-status';
import { JobEntity } from '../job.entity';
import { FACET_FIELDS, FACET_VALUE_LIMIT, type FacetField } from '../job-facets';
import { ApiAnyJson, ApiInstant, ApiInt64Id, ApiInteger } from '../../common/openapi/api-fields';

export class WorkflowInstanceDto {
  @ApiProperty({ format: 'uuid', description: 'The workflow instance this job runs as' }) id: string;
  @ApiInt64Id({ example: '7' }) workflowTemplateId: string;
  @ApiProperty({ example: 'import-orders' }) workflowTemplateName: string;
  @ApiInt64Id({ example: '3' }) workflowTemplateRevision: string;
  @ApiProperty({ example: 'Imports the day\'s orders' }) workflowTemplateDescription: string;
}

export class DficDto {
  @ApiProperty({ description: 'Dataflow instance id' }) dfiid: string;
  @ApiProperty({ description: 'Log correlation id (X-Correlation-Id of the submission)' }) lcid: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { region: 'eu' } }) userAttrs: Record<string, string>;
}

/** The Data One job, field for field, followed by this gateway's extensions. */
export class JobResponseDto {
  @ApiInt64Id() id: string;
  @ApiProperty({ enum: JOB_STATUSES, enumName: 'JobStatus', example: 'SUBMITTED' }) status: JobStatus;
  @ApiProperty({ example: '' }) statusMessage: string;
  @ApiInstant() createdAt: string;
  @ApiInstant() updatedAt: string;
  @ApiProperty({ example: 'billing' }) submittedBy: string;
  @ApiProperty({ example: 'imports' }) queue: string;
  @ApiProperty({ example: 'ACME' }) actor: string;
  @ApiProperty({ example: 'acme-orders' }) contract: string;
  @ApiProperty({ example: 'INPUT' }) contractType: string;
  @ApiProperty({ example: 'import' }) contractAction: string;
  @ApiProperty({ example: 'ON_DEMAND' }) contractActionTrigger: string;
  @ApiProperty({ type: WorkflowInstanceDto }) contractActionWorkflowInstance: WorkflowInstanceDto;
  @ApiProperty({ type: DficDto }) dfic: DficDto;
  @ApiProperty({ nullable: true, type: String, example: 'order-2026-11-23-0042' }) extIPID: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { date: '2026-11-23' },
    description: 'Secret variables read "***" except in the claim answer',
  })
  actionVariables: Record<string, unknown>;
  @ApiInteger({ example: 0 }) priority: number;
  @ApiInteger({ minimum: 0, example: 0 }) attempts: number;
  @ApiInteger({ minimum: 1, example: 3 }) maxAttempts: number;
  @ApiProperty({ nullable: true, type: Number, minimum: 0, maximum: 100, description: 'Reported by the worker' }) progress: number | null;
  @ApiInstant({ nullable: true, description: 'Not claimable before this instant (null: at once)' }) notBefore: string | null;
  @ApiInstant({ nullable: true }) startedAt: string | null;
  @ApiInstant({ nullable: true }) finishedAt: string | null;
  @ApiAnyJson({ description: 'What the worker reported on completion' }) result: unknown;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: [String], example: [] }) tags: string[];
  @ApiProperty({ description: 'An abort was requested while the job was running' }) abortRequested: boolean;
  @ApiInt64Id({ nullable: true, description: 'The job this one was resubmitted from; null for a plain submission' }) resubmittedFrom: string | null;
}

const COUNTS = { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } } as const;

/** Job counts by value, one map per facet asked for; a value no matching job has is absent. */
export class JobFacetsDto {
  @ApiPropertyOptional({ ...COUNTS, example: { SUBMITTED: 12, RUNNING: 3, COMPLETED: 940 } }) status?: Record<string, number>;
  @ApiPropertyOptional({ ...COUNTS, example: { default: 700, imports: 255 } }) queue?: Record<string, number>;
  @ApiPropertyOptional({ ...COUNTS, example: { 'acme-orders': 955 } }) contract?: Record<string, number>;
  @ApiPropertyOptional({ ...COUNTS, example: { billing: 955 } }) submittedBy?: Record<string, number>;
}

export class JobListResponseDto {
  @ApiProperty({ type: [JobResponseDto] }) jobs: JobResponseDto[];
  @ApiPropertyOptional({
    description: 'Absolute path (from the context path) of the next page; absent on the last page',
    example: '/ghibli-rest/v2/job-manager/jobs?status=SUBMITTED&cursor=eyJ2Ijox...',
  })
  next?: string;
  @ApiInteger({ required: false, minimum: 0, description: 'All matching jobs, with includeTotal=true' }) total?: number;
  @ApiPropertyOptional({ type: JobFacetsDto, description: 'With facets=…: counts over all matching jobs (every page, not this one)' })
  facets?: JobFacetsDto;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: [...FACET_FIELDS] },
    description: `Facets that had more than ${FACET_VALUE_LIMIT} values: they hold the ${FACET_VALUE_LIMIT} most frequent; absent when none was cut`,
  })
  facetsTruncated?: FacetField[];
}

export const MASKED_SECRET = '***';

/** The variables as a reader may see them: secret values masked unless `revealSecrets` (the claim answer). */
export function visibleVariables(job: Pick<JobEntity, 'actionVariables' | 'secretVariables'>, revealSecrets: boolean): Record<string, unknown> {
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
    notBefore: job.notBefore?.toISOString() ?? null,
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    result: job.result ?? null,
    name: job.name,
    description: job.description,
    tags: job.tags ?? [],
    abortRequested: Boolean(job.abortRequested),
    resubmittedFrom: job.resubmittedFrom === null ? null : String(job.resubmittedFrom),
  };
}
