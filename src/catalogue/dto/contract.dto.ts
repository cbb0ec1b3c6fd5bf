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
  @ApiProperty({ enum: CONTRACT_TYPES, enumName: 'ContractType', example: 'INPUT' })
  @IsIn(CONTRACT_TYPES)
  type: ContractType;

  @ApiProperty({ example: 'ACME', minLength: 1, maxLength: 128, description: 'The partner' })
  @IsString()
  @CharLength(1, 128)
  @IsSafeText()
  actor: string;

  // Nullable so a contract read with GET can be sent back as is; null and absent both store null.
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1024, example: "Orders received from ACME's ERP" })
  @IsOptional()
  @IsString()
  @CharLength(0, 1024)
  @IsSafeText({ freeText: true })
  description?: string | null;

  @ApiPropertyOptional({ default: true, description: 'false: submissions answer 422 CONTRACT_DISABLED' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    type: [NamedActionDto],
    maxItems: 200,
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
  @ApiProperty({ example: 'acme-orders', pattern: RESOURCE_NAME_PATTERN.source })
  @IsString()
  @Matches(RESOURCE_NAME_PATTERN, { message: `name ${RESOURCE_NAME_MESSAGE}` })
  name: string;
}
