import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActionScheduleResponseDto } from '../../catalogue';
import { ApiInstant, ApiInt64Id } from '../../common/openapi/api-fields';

/** The last fire this instance submitted: each instance keeps its own, in memory. */
export class LastFireResponseDto {
  @ApiInstant({ description: 'The fire instant, from the cron' }) fireAt: string;
  @ApiInt64Id({ description: 'The job of the fire' }) jobId: string;
  @ApiProperty({ example: true, description: 'false: another instance had submitted the fire first (the same job)' }) created: boolean;
}

export class ScheduleResponseDto {
  @ApiProperty({ example: 'acme-orders' }) contractName: string;
  @ApiProperty({ example: 'nightly-import' }) actionName: string;
  @ApiProperty({ type: ActionScheduleResponseDto }) schedule: ActionScheduleResponseDto;
  @ApiProperty({ example: true, description: 'The schedule, the action and its contract are all enabled: fires become jobs' }) active: boolean;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'date-time' },
    maxItems: 5,
    example: ['2026-11-24T01:00:00.000Z', '2026-11-25T01:00:00.000Z'],
    description: 'The next 5 fire instants in UTC; empty when not active',
  })
  nextFires: string[];
  @ApiPropertyOptional({ type: LastFireResponseDto, description: 'The last fire this instance submitted; absent: none since it started' })
  lastFire?: LastFireResponseDto;
}

export class ScheduleListResponseDto {
  @ApiProperty({ type: [ScheduleResponseDto], description: 'Every TIME action, by contract and action name' }) schedules: ScheduleResponseDto[];
}
