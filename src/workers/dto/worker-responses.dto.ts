import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiInstant, ApiInteger } from '../../common/openapi/api-fields';
import { type JobEntity, JobResponseDto, toJobResponse } from '../../jobs';

export class LeaseInfoDto {
  @ApiProperty({ format: 'uuid', description: 'Send it as leaseToken on heartbeat, complete, fail and logs' }) token: string;
  @ApiInstant({ description: 'Heartbeat before this, or the job is handed to another worker' }) expiresAt: string;
}

export class ExecutionRefDto {
  @ApiInteger({ minimum: 1, example: 1, description: 'This attempt: 1 for the first' }) number: number;
}

/** A claimed job: the job with its secrets revealed, plus the lease that makes this worker its owner. */
export class ClaimedJobDto extends JobResponseDto {
  @ApiProperty({ type: LeaseInfoDto }) lease: LeaseInfoDto;
  @ApiProperty({ type: ExecutionRefDto }) execution: ExecutionRefDto;
}

export class ClaimResponseDto {
  @ApiProperty({ type: [ClaimedJobDto], description: 'Empty when no job was ready within waitSeconds' }) jobs: ClaimedJobDto[];
}

/** The job as its execution left it; `claimed` only when the request asked for the next claim. */
export class EndedJobResponseDto extends JobResponseDto {
  @ApiPropertyOptional({ type: [ClaimedJobDto], description: 'With claimNext: the jobs claimed next (empty when none was ready)' })
  claimed?: ClaimedJobDto[];
}

export class HeartbeatResponseDto {
  @ApiProperty({ description: 'Stop working and call fail: someone asked to abort the job' }) abortRequested: boolean;
  @ApiInstant({ description: 'The renewed lease end' }) leaseExpiresAt: string;
}

export class AppendLogsResponseDto {
  @ApiInteger({ minimum: 0, example: 2, description: 'Lines stored' }) appended: number;
}

export function toClaimedJob(job: JobEntity, leaseToken: string): ClaimedJobDto {
  return {
    ...toJobResponse(job, { revealSecrets: true }),
    lease: { token: leaseToken, expiresAt: job.leaseExpiresAt!.toISOString() },
    execution: { number: job.executionCount },
  };
}
