import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { MaxItems } from '../../common/paging/max-items';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../webhook-delivery.entity';

export class ListDeliveriesQueryDto {
  @MaxItems() maxItems?: number;

  @ApiPropertyOptional({ pattern: '^[1-9][0-9]{0,18}$', description: 'The `next` of the previous page: deliveries older than this id' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,18}$/, { message: 'before must be a delivery id' })
  before?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, enumName: 'WebhookDeliveryStatus', description: 'Only deliveries in this status, e.g. DEAD' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;
}
