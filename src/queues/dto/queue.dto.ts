import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { ApiInteger } from '../../common/openapi/api-fields';
import { RESOURCE_NAME_MESSAGE, RESOURCE_NAME_PATTERN } from '../../common/validation/names';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { QUEUE_STATUSES, type QueueStatus } from '../queue.entity';

const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
// IANA names only: Intl also takes offsets such as "+01:00", which have no daylight saving rules.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;
export const MAX_TIME_SLOTS = 24;
export const MAX_PARALLELISM = 1_000_000;

/** The zone as Intl spells it ("europe/paris" → "Europe/Paris"), or undefined when Intl does not know it. */
export function canonicalTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || !ZONE_NAME.test(value)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const IsIanaTimeZone = () =>
  ValidateBy({
    name: 'isIanaTimeZone',
    validator: {
      validate: (value: unknown) => canonicalTimeZone(value) !== undefined,
      defaultMessage: () => 'timezone must be an IANA time zone known to this server, such as "Europe/Paris" or "UTC"',
    },
  });

const DiffersFromFrom = () =>
  ValidateBy({
    name: 'differsFromFrom',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => value !== (args?.object as { from?: unknown }).from,
      defaultMessage: () => 'to must differ from from: such a slot would be empty (a whole day is status ENABLED)',
    },
  });

const NonEmptyWhenScheduled = () =>
  ValidateBy({
    name: 'nonEmptyWhenScheduled',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        (args?.object as { status?: unknown }).status !== 'SCHEDULED' || (Array.isArray(value) && value.length > 0),
      defaultMessage: () => 'timeSlots must hold at least one slot when status is SCHEDULED, or the queue would never run',
    },
  });

/** A daily window in the queue's timezone: `from` included, `to` excluded; `from` after `to` crosses midnight. */
export class TimeSlotDto {
  @ApiProperty({ example: '08:00', pattern: HH_MM.source, description: 'HH:MM, 24-hour, included' })
  @IsString()
  @Matches(HH_MM, { message: 'from must be HH:MM on a 24-hour clock (00:00-23:59)' })
  from: string;

  @ApiProperty({ example: '11:00', pattern: HH_MM.source, description: 'HH:MM, 24-hour, excluded; before `from`: crosses midnight' })
  @IsString()
  @Matches(HH_MM, { message: 'to must be HH:MM on a 24-hour clock (00:00-23:59)' })
  @DiffersFromFrom()
  to: string;
}

/** The body of PUT /job-manager/queues/{name}: the whole queue; absent fields take the defaults. */
export class QueueDto {
  // Nullable so a queue read with GET can have its description sent back as is.
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1024, example: 'Nightly imports of partner orders' })
  @IsOptional()
  @IsString()
  @CharLength(0, 1024)
  @IsSafeText({ freeText: true })
  description?: string | null;

  @ApiInteger({ required: false, default: 5, minimum: 1, maximum: 10, description: '1 (very low) to 10 (very high): claims serve higher queues first' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  priority?: number;

  @ApiInteger({ required: false, default: 0, minimum: 0, maximum: MAX_PARALLELISM, description: 'At most this many RUNNING jobs; 0: unbounded' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PARALLELISM)
  parallelism?: number;

  @ApiPropertyOptional({ enum: QUEUE_STATUSES, enumName: 'QueueStatus', default: 'ENABLED', description: 'SCHEDULED: only inside timeSlots' })
  @IsOptional()
  @IsIn(QUEUE_STATUSES)
  status?: QueueStatus;

  @ApiPropertyOptional({ type: [TimeSlotDto], maxItems: MAX_TIME_SLOTS, default: [], description: 'Required (non-empty) when status is SCHEDULED' })
  @ValidateIf((queue: QueueDto) => queue.timeSlots !== undefined || queue.status === 'SCHEDULED')
  @IsArray()
  @ArrayMaxSize(MAX_TIME_SLOTS)
  @NonEmptyWhenScheduled()
  @ValidateNested({ each: true })
  @Type(() => TimeSlotDto)
  timeSlots?: TimeSlotDto[];

  @ApiPropertyOptional({ default: 'UTC', maxLength: 64, example: 'Europe/Paris', description: 'IANA time zone the slots are read in' })
  @IsOptional()
  @IsString()
  @IsIanaTimeZone()
  timezone?: string;
}

/** A queue in the contracts file's `queues:` list, where it carries its own name. */
export class NamedQueueDto extends QueueDto {
  @IsString()
  @Matches(RESOURCE_NAME_PATTERN, { message: `name ${RESOURCE_NAME_MESSAGE}` })
  name: string;
}
