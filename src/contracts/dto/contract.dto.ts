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
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { NamedActionDto } from '../../actions/dto/action.dto';
import { RESOURCE_NAME_MESSAGE, RESOURCE_NAME_PATTERN } from '../../common/validation/names';
import { CONTRACT_TYPES, ContractType } from '../contract.entity';

/** The body of PUT /contracts/{name}: the whole contract, optionally with its whole action set. */
export class ContractDto {
  @ApiProperty({ enum: CONTRACT_TYPES })
  @IsIn(CONTRACT_TYPES)
  type: ContractType;

  @ApiProperty({ example: 'ACME' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  actor: string;

  @ApiPropertyOptional({ maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
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

export class ListContractsQueryDto {
  @ApiPropertyOptional({ enum: CONTRACT_TYPES })
  @IsOptional()
  @IsIn(CONTRACT_TYPES)
  type?: ContractType;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  actor?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'enabled must be true or false' })
  enabled?: 'true' | 'false';

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000, type: 'integer' })
  @IsOptional()
  @Matches(/^(1000|[1-9]\d{0,2})$/, { message: 'maxItems must be an integer from 1 to 1000' })
  maxItems?: string;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page\'s next link' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
