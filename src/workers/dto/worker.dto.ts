import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { KeepAsSent, MAX_JSON_COLUMN_BYTES, MaxJsonBytes } from '../../common/validation/json-bytes';
import { RESOURCE_NAME_MESSAGE, RESOURCE_NAME_PATTERN } from '../../common/validation/names';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { LOG_LEVELS, LogLevel } from '../../jobs';
import { ApiAnyJson } from '../../common/openapi/api-fields';

export const MAX_RESULT_BYTES = MAX_JSON_COLUMN_BYTES;

export class ClaimDto {
  @ApiProperty({ example: 'worker-eu-1', description: 'Who claims; recorded on the job and its execution' })
  @IsString()
  @CharLength(1, 128)
  @IsSafeText()
  workerId: string;

  @ApiProperty({ type: [String], example: ['imports'], minItems: 1, maxItems: 20, description: 'Queues to take jobs from' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(RESOURCE_NAME_PATTERN, { each: true, message: `each queue ${RESOURCE_NAME_MESSAGE}` })
  queues: string[];

  @ApiPropertyOptional({ type: 'integer', default: 1, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxJobs?: number;

  @ApiPropertyOptional({ type: 'integer', default: 60, minimum: 5, maximum: 3600, description: 'Lease length; heartbeats renew it' })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(3600)
  leaseSeconds?: number;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: 30, description: 'Long-poll: wait this long for a job' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30)
  waitSeconds?: number;
}

/** Claim the next jobs in the same request as a complete or fail, as the worker that held this one (docs/workers.md, "Complete and claim"). */
export class ClaimNextDto {
  @ApiProperty({ type: [String], example: ['imports'], minItems: 1, maxItems: 20, description: 'Queues to take jobs from' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(RESOURCE_NAME_PATTERN, { each: true, message: `each queue ${RESOURCE_NAME_MESSAGE}` })
  queues: string[];

  @ApiPropertyOptional({ type: 'integer', default: 1, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxJobs?: number;

  @ApiPropertyOptional({ type: 'integer', default: 60, minimum: 5, maximum: 3600 })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(3600)
  leaseSeconds?: number;
}

export class LeaseDto {
  @ApiProperty({ minLength: 36, maxLength: 36, description: 'The claim answer\'s `lease.token`' })
  @IsString()
  @Length(36, 36)
  leaseToken: string;
}

/** What complete and fail may add: the next claim, answered in `claimed`. */
class EndExecutionDto extends LeaseDto {
  @ApiPropertyOptional({ type: ClaimNextDto, description: 'Answer with the next claim too: one round trip per job for a busy worker' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClaimNextDto)
  claimNext?: ClaimNextDto;
}

export class HeartbeatDto extends LeaseDto {
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 100, description: 'Percent done; shown on the job' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  progress?: number;

  @ApiPropertyOptional({ maxLength: 1024, description: 'Becomes the job\'s statusMessage' })
  @IsOptional()
  @IsString()
  @CharLength(0, 1024)
  @IsSafeText({ freeText: true })
  message?: string;
}

export class CompleteDto extends EndExecutionDto {

  @ApiAnyJson({ required: false, description: `Any JSON, at most ${MAX_RESULT_BYTES} bytes`, example: { rows: 3 } })
  @IsOptional()
  @KeepAsSent()
  @MaxJsonBytes(MAX_RESULT_BYTES)
  result?: unknown;
}

export class FailDto extends EndExecutionDto {

  @ApiProperty({ minLength: 1, maxLength: 4096, example: 'upstream answered 502' })
  @IsString()
  @CharLength(1, 4096)
  @IsSafeText({ freeText: true })
  error: string;

  @ApiPropertyOptional({ default: true, description: 'false: no further attempt, the job ends in ERROR' })
  @IsOptional()
  @IsBoolean()
  retryable?: boolean;
}

export class LogLineDto {
  @ApiProperty({ minLength: 1, maxLength: 4096, example: 'read 3 rows' })
  @IsString()
  @CharLength(1, 4096)
  @IsSafeText({ freeText: true })
  message: string;

  @ApiPropertyOptional({ enum: LOG_LEVELS, default: 'info' })
  @IsOptional()
  @IsIn(LOG_LEVELS)
  level?: LogLevel;
}

export class AppendLogsDto extends LeaseDto {
  @ApiProperty({ type: [LogLineDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => LogLineDto)
  lines: LogLineDto[];
}
