import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { MaxItems } from '../../common/paging/max-items';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { CONTRACT_TYPES, ContractType } from '../contract.entity';
import { QueryBoolean } from '../../common/validation/query-boolean';

export class ListContractsQueryDto {
  @ApiPropertyOptional({ enum: CONTRACT_TYPES, enumName: 'ContractType' })
  @IsOptional()
  @IsIn(CONTRACT_TYPES)
  type?: ContractType;

  @ApiPropertyOptional({ maxLength: 128, description: 'Exact match' })
  @IsOptional()
  @IsString()
  @CharLength(0, 128)
  @IsSafeText()
  actor?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @QueryBoolean()
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;

  @MaxItems()
  maxItems?: number;

  @ApiPropertyOptional({ maxLength: 512, description: 'Opaque cursor from a previous page\'s next link' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
