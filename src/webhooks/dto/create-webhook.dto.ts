import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { RESOURCE_NAME_MESSAGE, RESOURCE_NAME_PATTERN } from '../../common/validation/names';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { JOB_EVENT_TYPES, type JobEventType } from '../../jobs';

export const MAX_URL_LENGTH = 2048;
export const MAX_WEBHOOK_CONTRACTS = 100;
export const JOB_EVENT_TYPE_ENUM = { enum: JOB_EVENT_TYPES, enumName: 'JobEventType' } as const;

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/gateway', maxLength: MAX_URL_LENGTH, description: 'http or https; its host must resolve to public addresses' })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true }, { message: 'url must be an http or https URL without credentials' })
  url: string;

  @ApiProperty({ ...JOB_EVENT_TYPE_ENUM, isArray: true, example: ['job.completed', 'job.failed'], description: 'The event types to send' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(JOB_EVENT_TYPES, { each: true, message: `each event must be one of ${JOB_EVENT_TYPES.join(', ')}` })
  events: JobEventType[];

  @ApiPropertyOptional({ type: [String], example: ['billing'], maxItems: MAX_WEBHOOK_CONTRACTS, description: 'Only jobs of these contracts; absent: every contract' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_WEBHOOK_CONTRACTS)
  @ArrayUnique()
  @Matches(RESOURCE_NAME_PATTERN, { each: true, message: `each contract name ${RESOURCE_NAME_MESSAGE}` })
  contracts?: string[];

  @ApiPropertyOptional({ maxLength: 1024, example: 'Billing notifications' })
  @IsOptional()
  @IsString()
  @CharLength(0, 1024)
  @IsSafeText({ freeText: true })
  description?: string;
}
