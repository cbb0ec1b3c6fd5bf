import { ApiProperty } from '@nestjs/swagger';
import { ApiInstant, ApiInt64Id, ApiInteger } from '../../common/openapi/api-fields';
import type { JobEventType } from '../../jobs';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../webhook-delivery.entity';
import { JOB_EVENT_TYPE_ENUM } from './create-webhook.dto';

export class WebhookResponseDto {
  @ApiInteger({ minimum: 1, example: 3 }) id: number;
  @ApiProperty({ example: 'https://hooks.example.com/gateway' }) url: string;
  @ApiProperty({ ...JOB_EVENT_TYPE_ENUM, isArray: true, example: ['job.completed'] }) events: JobEventType[];
  @ApiProperty({ type: [String], nullable: true, example: ['billing'], description: 'null: every contract' }) contracts: string[] | null;
  @ApiProperty({ type: String, nullable: true, example: 'Billing notifications' }) description: string | null;
  @ApiProperty({ example: true, description: 'false: no new deliveries, and pending ones wait (docs/webhooks.md, "API")' }) enabled: boolean;
  @ApiInstant() createdAt: string;
  @ApiProperty({ example: 'admin', description: 'The principal that created it' }) createdBy: string;
}

export class CreatedWebhookResponseDto extends WebhookResponseDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwc2Fs5Yy9ZmE=', description: 'The signing secret, shown only in this answer (docs/webhooks.md)' })
  secret: string;
}

export class WebhookListResponseDto {
  @ApiProperty({ type: [WebhookResponseDto], description: 'Every webhook, oldest first; never the secrets' }) webhooks: WebhookResponseDto[];
}

export class WebhookDeliveryResponseDto {
  @ApiInt64Id({ description: 'The delivery id; the requests carry webhook-id msg_<id>' }) id: string;
  @ApiProperty({ example: 'msg_1042', description: 'The webhook-id header of every attempt' }) messageId: string;
  @ApiInt64Id() eventId: string;
  @ApiProperty({ ...JOB_EVENT_TYPE_ENUM, example: 'job.completed' }) eventType: JobEventType;
  @ApiInt64Id() jobId: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, enumName: 'WebhookDeliveryStatus', example: 'PENDING' }) status: DeliveryStatus;
  @ApiInteger({ minimum: 0, example: 2, description: 'Attempts started so far' }) attempts: number;
  @ApiInteger({ nullable: true, example: 503, description: "The receiver's last HTTP status; null when it never answered" }) lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'answered HTTP 503' }) lastError: string | null;
  @ApiInstant({ nullable: true, description: 'When it is due (PENDING); null once SUCCEEDED or DEAD' }) nextAttemptAt: string | null;
  @ApiInstant() createdAt: string;
  @ApiInstant({ nullable: true }) deliveredAt: string | null;
}

export class WebhookDeliveryListResponseDto {
  @ApiProperty({ type: [WebhookDeliveryResponseDto], description: 'Newest first' }) deliveries: WebhookDeliveryResponseDto[];
  @ApiProperty({ type: String, nullable: true, example: '1041', description: 'Pass as `before` for the next page; null on the last one' }) next: string | null;
}
