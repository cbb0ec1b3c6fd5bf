import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { MaxItems } from '../../common/paging/max-items';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { CONTRACT_TYPES, ContractType } from '../contract.entity';

export class ListContractsQueryDto {
  @ApiPropertyOptional({ enum: CONTRACT_TYPES })
  @IsOptional()
  @IsIn(CONTRACT_TYPES)
  type?: ContractType;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @CharLength(0, 128)
  @IsSafeText()
  actor?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;

  @MaxItems()
  maxItems?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page\'s next link' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
