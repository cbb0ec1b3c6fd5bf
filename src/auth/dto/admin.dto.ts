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
import { ApiInstant } from '../../common/openapi/api-fields';
import { parseIsoInstant } from '../../common/validation/iso-instant';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { ROLE_PATTERN } from '../../config/resources';
import { PRINCIPAL_NAME_MAX_LENGTH } from '../principal-name';

// No ":", which keeps these names apart from prefixed JWT principals (docs/security.md, "JWT").
const NAME_PATTERN = new RegExp(`^[A-Za-z0-9._@-]{1,${PRINCIPAL_NAME_MAX_LENGTH}}$`);
const NAME_MESSAGE = `must be 1-${PRINCIPAL_NAME_MAX_LENGTH} characters of letters, digits, ".", "_", "@" or "-"`;
const ROLE_MESSAGE = 'each role must be 1-64 characters of letters, digits, "_", ".", ":" or "-"';

// The document states the same rules the validators apply.
const NAME_SCHEMA = { pattern: NAME_PATTERN.source, minLength: 1, maxLength: PRINCIPAL_NAME_MAX_LENGTH };
const PASSWORD_SCHEMA = { minLength: 12, maxLength: 256, example: 'correct-horse-battery-staple' };
const ROLES_SCHEMA = { type: 'array', maxItems: 32, items: { type: 'string', pattern: ROLE_PATTERN.source } } as const;

export class RolesDto {
  @ApiProperty({ ...ROLES_SCHEMA, example: ['Users'], description: 'Role names (an open set); duplicates are dropped' })
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(ROLE_PATTERN, { each: true, message: ROLE_MESSAGE })
  roles: string[];
}

export class CreateUserDto extends RolesDto {
  @ApiProperty({ ...NAME_SCHEMA, example: 'alice' })
  @IsString()
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name: string;

  @ApiProperty(PASSWORD_SCHEMA)
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ ...PASSWORD_SCHEMA, description: 'A new password' })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({ ...ROLES_SCHEMA, example: ['Users', 'Administrators'], description: 'Replaces the roles' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(ROLE_PATTERN, { each: true, message: ROLE_MESSAGE })
  roles?: string[];

  @ApiPropertyOptional({ example: false, description: 'false disables the user: its credentials stop working at once' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class CreateApiKeyDto extends RolesDto {
  @ApiProperty({ ...NAME_SCHEMA, example: 'billing-integration', description: 'The principal name the key acts as (used in the IPID)' })
  @IsString()
  @Matches(NAME_PATTERN, { message: `principal ${NAME_MESSAGE}` })
  principal: string;

  @ApiPropertyOptional({ maxLength: 255, example: 'billing integration' })
  @IsOptional()
  @IsString()
  @IsSafeText({ freeText: true })
  @CharLength(0, 255)
  description?: string;

  @ApiInstant({ required: false, example: '2027-01-01T00:00:00Z', description: 'ISO 8601 with an offset; the key stops working then' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? (parseIsoInstant(value) ?? value) : value))
  @IsDate({ message: 'expiresAt must be an ISO 8601 instant with an offset, e.g. 2027-01-01T00:00:00Z' })
  expiresAt?: Date;
}
