import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiInstant, ApiInteger } from '../../common/openapi/api-fields';

export const DEFAULT_STATS_MINUTES = 60;
export const MAX_STATS_MINUTES = 1440;

const MINUTES = { message: `minutes must be an integer from 1 to ${MAX_STATS_MINUTES}` };

/** The query of GET /job-manager/jobs/stats: digits become a number, anything else fails validation as sent. */
export class JobStatsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_STATS_MINUTES, default: DEFAULT_STATS_MINUTES, description: 'How many minutes back, the current one included' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value))
  @IsOptional(MINUTES)
  @IsInt(MINUTES)
  @Min(1, MINUTES)
  @Max(MAX_STATS_MINUTES, MINUTES)
  minutes?: number;
}

export class FinishedCountsDto {
  @ApiInteger({ minimum: 0, example: 40 }) COMPLETED: number;
  @ApiInteger({ minimum: 0, example: 2 }) ERROR: number;
  @ApiInteger({ minimum: 0, example: 0 }) ABORTED: number;
}

export class JobStatsBucketDto {
  @ApiInstant({ example: '2026-11-23T10:15:00.000Z', description: 'The first instant of the minute' }) minute: string;
  @ApiInteger({ minimum: 0, example: 42, description: 'Jobs created in this minute' }) submitted: number;
  @ApiProperty({ type: FinishedCountsDto, description: 'Jobs that reached each final status in this minute' }) finished: FinishedCountsDto;
}

export class JobStatsResponseDto {
  @ApiInstant({ example: '2026-11-23T09:16:00.000Z', description: 'The first minute, inclusive' }) from: string;
  @ApiInstant({ example: '2026-11-23T10:16:00.000Z', description: 'The end of the current minute, exclusive' }) to: string;
  @ApiProperty({ type: [JobStatsBucketDto], description: 'One per minute, oldest first, zero-filled; the last is the current minute, still counting' })
  buckets: JobStatsBucketDto[];
}
