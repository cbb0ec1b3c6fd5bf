import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';
import { RESOURCE_NAME_MESSAGE, RESOURCE_NAME_PATTERN } from '../../common/validation/names';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { CONTRACT_TYPES, ContractType } from '../contract.entity';
import { NamedActionDto } from './action.dto';

/** The body of PUT /contracts/{name}: the whole contract, optionally with its whole action set. */
export class ContractDto {
  @ApiProperty({ enum: CONTRACT_TYPES })
  @IsIn(CONTRACT_TYPES)
  type: ContractType;

  @ApiProperty({ example: 'ACME' })
  @IsString()
  @CharLength(1, 128)
  @IsSafeText()
  actor: string;

  @ApiPropertyOptional({ maxLength: 1024 })
  @IsOptional()
  @IsString()
  @CharLength(0, 1024)
  @IsSafeText({ freeText: true })
  description?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    type: [NamedActionDto],
    description: 'When present, replaces the contract\'s actions: listed ones are upserted, others deleted',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => NamedActionDto)
  actions?: NamedActionDto[];
}

/** A contract in CONTRACTS_FILE, where it carries its own name. */
export class NamedContractDto extends ContractDto {
  @ApiProperty({ example: 'acme-orders' })
  @IsString()
  @Matches(RESOURCE_NAME_PATTERN, { message: `name ${RESOURCE_NAME_MESSAGE}` })
  name: string;
}
