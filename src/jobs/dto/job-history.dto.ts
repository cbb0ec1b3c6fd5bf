import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import { ApiInstant, ApiInt64Id } from '../../common/openapi/api-fields';
import { QueryBoolean } from '../../common/validation/query-boolean';
import { KeepAsSent } from '../../common/validation/json-bytes';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { JOB_EVENT_TYPES, JobEventEntity, JobEventType } from '../job-event.entity';

export const MAX_WAIT_SECONDS = 60;
const WAIT_MESSAGE = { message: `waitSeconds must be an integer from 0 to ${MAX_WAIT_SECONDS}` };

export class GetJobQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_WAIT_SECONDS,
    default: 0,
    description: 'Answer as soon as the job is COMPLETED, ERROR or ABORTED, or after this many seconds with the job as it is',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : value))
  @IsOptional(WAIT_MESSAGE)
  @IsInt(WAIT_MESSAGE)
  @Min(0, WAIT_MESSAGE)
  @Max(MAX_WAIT_SECONDS, WAIT_MESSAGE)
  waitSeconds?: number;
}

export class SubmitQueryDto {
  @ApiPropertyOptional({ type: 'boolean', description: 'true: check the submission as a submit would, create nothing, answer 200' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'validateOnly must be true or false' })
  validateOnly?: boolean;
}

export class JobEventDto {
  @ApiInt64Id({ description: 'Increases along the timeline of a job (not contiguous)' }) seq: string;
  @ApiProperty({ enum: JOB_EVENT_TYPES, enumName: 'JobEventType', example: 'job.submitted' }) type: JobEventType;
  @ApiInstant() at: string;
  @ApiProperty({ example: 'alice', description: 'A principal name, worker:<workerId>, or system:<part>' }) actor: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { queue: 'imports' }, description: 'Facts of the change; keys per type in docs/events.md' })
  data: Record<string, unknown>;
}

export class JobEventPageDto {
  @ApiProperty({ type: [JobEventDto] }) events: JobEventDto[];
  @ApiPropertyOptional({ description: 'Absolute path of the next page; absent on the last page' }) next?: string;
}

export const toJobEventDto = (event: JobEventEntity): JobEventDto => ({
  seq: String(event.id),
  type: event.type,
  at: event.at.toISOString(),
  actor: event.actor,
  data: event.data,
});

export class ResubmitJobDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { date: '2026-11-24' },
    description: "Overrides the source job's variables, name by name; the rest are copied",
  })
  @IsOptional()
  @KeepAsSent()
  @IsObject()
  actionVariables?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'order-2026-0001-rerun', minLength: 1, maxLength: 64, description: 'Makes the resubmission idempotent, as on submit' })
  @IsOptional()
  @IsString()
  @CharLength(1, 64)
  @IsSafeText()
  extIPID?: string;
}

export class ResolvedWorkflowTemplateDto {
  @ApiInt64Id({ example: '7' }) id: string;
  @ApiProperty({ example: 'import-orders' }) name: string;
  @ApiInt64Id({ example: '3' }) revision: string;
}

export class ResolvedSubmissionDto {
  @ApiProperty({ example: 'imports' }) queue: string;
  @ApiProperty({ type: ResolvedWorkflowTemplateDto }) workflowTemplate: ResolvedWorkflowTemplateDto;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { date: '2026-11-23', dryRun: false }, description: 'With defaults filled in; secret values read "***"' })
  actionVariables: Record<string, unknown>;
}

export class SubmissionCheckDto {
  @ApiProperty({ type: Boolean, description: 'Always true: an invalid submission answers its usual 4xx instead' }) valid: true;
  @ApiProperty({ type: String, nullable: true, example: 'bd0c…', description: 'The IPID the job would have; null without extIPID' }) ipid: string | null;
  @ApiProperty({ description: 'true: a submit would answer 409 with the existing job' }) wouldReplay: boolean;
  @ApiInt64Id({ required: false, description: 'The job a submit would replay' }) existingJobId?: string;
  @ApiProperty({ type: ResolvedSubmissionDto }) resolved: ResolvedSubmissionDto;
}
