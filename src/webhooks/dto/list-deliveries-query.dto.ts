import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { MaxItems } from '../../common/paging/max-items';

export class ListDeliveriesQueryDto {
  @MaxItems() maxItems?: number;

  @ApiPropertyOptional({ pattern: '^[1-9][0-9]{0,18}$', description: 'The `next` of the previous page: deliveries older than this id' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,18}$/, { message: 'before must be a delivery id' })
  before?: string;
}
