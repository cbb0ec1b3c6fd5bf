import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { parseIsoInstant } from '../../common/validation/iso-instant';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { ROLE_PATTERN } from '../../config/resources';
import { PRINCIPAL_NAME_MAX_LENGTH } from '../principal-name';

// No ":", which keeps these names apart from prefixed JWT principals (docs/security.md, "JWT").
const NAME_PATTERN = new RegExp(`^[A-Za-z0-9._@-]{1,${PRINCIPAL_NAME_MAX_LENGTH}}$`);
const NAME_MESSAGE = `must be 1-${PRINCIPAL_NAME_MAX_LENGTH} characters of letters, digits, ".", "_", "@" or "-"`;
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
  @IsSafeText({ freeText: true })
  @CharLength(0, 255)
  description?: string;

  @ApiPropertyOptional({ type: 'string', format: 'date-time', example: '2027-01-01T00:00:00Z', description: 'ISO 8601 with an offset; the key stops working then' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? (parseIsoInstant(value) ?? value) : value))
  @IsDate({ message: 'expiresAt must be an ISO 8601 instant with an offset, e.g. 2027-01-01T00:00:00Z' })
  expiresAt?: Date;
}
