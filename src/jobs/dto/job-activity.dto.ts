import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiInstant, ApiInteger } from '../../common/openapi/api-fields';
import { JobExecutionEntity } from '../job-execution.entity';
import { JobLogEntity, LOG_LEVELS, LogLevel } from '../job-log.entity';
import { EXECUTION_STATUSES, ExecutionStatus } from '../job-status';

export class JobExecutionDto {
  @ApiInteger({ minimum: 1, example: 1, description: '1 for the first attempt' }) number: number;
  @ApiProperty({ example: 'worker-eu-1' }) workerId: string;
  @ApiInstant() startedAt: string;
  @ApiInstant({ nullable: true }) endedAt: string | null;
  @ApiProperty({ enum: EXECUTION_STATUSES, enumName: 'ExecutionStatus', description: 'EXPIRED: the lease ran out before the worker reported' })
  status: ExecutionStatus;
  @ApiProperty({ nullable: true, type: String, description: 'What the worker reported when it failed' }) error: string | null;
}

export class JobExecutionListDto {
  @ApiProperty({ type: [JobExecutionDto] }) executions: JobExecutionDto[];
}

export class JobLogLineDto {
  @ApiInstant() at: string;
  @ApiInteger({ minimum: 1, description: 'The execution that wrote it' }) execution: number;
  @ApiProperty({ enum: LOG_LEVELS, enumName: 'LogLevel', example: 'info' }) level: LogLevel;
  @ApiProperty({ example: 'read 3 rows' }) message: string;
}

export class JobLogPageDto {
  @ApiProperty({ type: [JobLogLineDto] }) lines: JobLogLineDto[];
  @ApiPropertyOptional({ description: 'Absolute path of the next page; absent on the last page' }) next?: string;
}

export class BulkCommandResultDto {
  @ApiInteger({ minimum: 0, example: 12, description: 'Jobs changed by this call' }) count: number;
  @ApiProperty({ description: 'More matching jobs remain: call again with the same filters' }) remaining: boolean;
}

export const toExecutionDto = (execution: JobExecutionEntity): JobExecutionDto => ({
  number: execution.number,
  workerId: execution.workerId,
  startedAt: execution.startedAt.toISOString(),
  endedAt: execution.endedAt?.toISOString() ?? null,
  status: execution.status,
  error: execution.error,
});

export const toLogLineDto = (line: JobLogEntity): JobLogLineDto => ({
  at: line.at.toISOString(),
  execution: line.execution,
  level: line.level,
  message: line.message,
});
