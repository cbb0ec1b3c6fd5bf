import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { RESOURCE_NAME_MESSAGE, RESOURCE_NAME_PATTERN } from '../../common/validation/names';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { JOB_EVENT_TYPES, type JobEventType } from '../../jobs';
import { JOB_EVENT_TYPE_ENUM, MAX_WEBHOOK_CONTRACTS } from './create-webhook.dto';

/** What may change in a webhook; its URL and secret may not: delete it and create another (docs/webhooks.md, "API"). */
export class UpdateWebhookDto {
  @ApiPropertyOptional({
    example: false,
    description: 'false: events fanned out while it is disabled get no delivery to it, and its pending deliveries wait; true: both resume',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ ...JOB_EVENT_TYPE_ENUM, isArray: true, example: ['job.completed', 'job.failed'], description: 'The event types to send' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(JOB_EVENT_TYPES, { each: true, message: `each event must be one of ${JOB_EVENT_TYPES.join(', ')}` })
  events?: JobEventType[];

  @ApiPropertyOptional({ type: [String], nullable: true, example: ['billing'], maxItems: MAX_WEBHOOK_CONTRACTS, description: 'Only jobs of these contracts; null: every contract' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_WEBHOOK_CONTRACTS)
  @ArrayUnique()
  @Matches(RESOURCE_NAME_PATTERN, { each: true, message: `each contract name ${RESOURCE_NAME_MESSAGE}` })
  contracts?: string[] | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1024, example: 'Billing notifications' })
  @IsOptional()
  @IsString()
  @CharLength(0, 1024)
  @IsSafeText({ freeText: true })
  description?: string | null;
}
