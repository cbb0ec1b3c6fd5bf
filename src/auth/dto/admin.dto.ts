import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ROLE_PATTERN } from '../../config/resources';

const NAME_PATTERN = /^[A-Za-z0-9._@-]{1,128}$/;
const NAME_MESSAGE = 'must be 1-128 characters of letters, digits, ".", "_", "@" or "-"';
const ROLE_MESSAGE = 'each role must be 1-64 characters of letters, digits, "_", ".", ":" or "-"';

export class RolesDto {
  @ApiProperty({ example: ['Users'] })
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(ROLE_PATTERN, { each: true, message: ROLE_MESSAGE })
  roles: string[];
}

export class CreateUserDto extends RolesDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name: string;

  @ApiProperty({ minLength: 12, maxLength: 256 })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 12, maxLength: 256 })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({ example: ['Users', 'Administrators'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(ROLE_PATTERN, { each: true, message: ROLE_MESSAGE })
  roles?: string[];

  @ApiPropertyOptional({ description: 'false disables the user: its credentials stop working at once' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class CreateApiKeyDto extends RolesDto {
  @ApiProperty({ example: 'billing-integration', description: 'The principal name the key acts as (used in the IPID)' })
  @IsString()
  @Matches(NAME_PATTERN, { message: `principal ${NAME_MESSAGE}` })
  principal: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  description?: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'ISO 8601; the key stops working then' })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
}
