import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, MaxLength, MinLength, ValidateBy, ValidationOptions } from 'class-validator';
import { isPlainObject } from '../../common/validation/plain-object';

const USER_ATTR_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_USER_ATTRS = 50;

/** `userAttrs`: a flat map of short strings (Data One's dfic.userAttrs). */
function IsUserAttrs(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isUserAttrs',
      validator: {
        validate: (value: unknown) =>
          isPlainObject(value) &&
          Object.keys(value).length <= MAX_USER_ATTRS &&
          Object.entries(value).every(
            ([key, entry]) => USER_ATTR_KEY.test(key) && typeof entry === 'string' && entry.length <= 256,
          ),
        defaultMessage: () =>
          `userAttrs must be an object of at most ${MAX_USER_ATTRS} keys ([A-Za-z0-9_.:-], 1-64) with string values of at most 256 characters`,
      },
    },
    options,
  );
}

export class SubmitJobDto {
  @ApiProperty({ example: 'acme-orders' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  contractName: string;

  @ApiProperty({ example: 'import' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  actionName: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { date: '2026-11-23' },
    description: "Checked against the action's declared variables; defaults fill in. Default {}",
  })
  @IsOptional()
  @IsObject()
  actionVariables?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: 'order-2026-0001',
    minLength: 1,
    maxLength: 64,
    description: 'Idempotency key: the same user, contract, action and extIPID always answer the same job',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  extIPID?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { region: 'emea' } })
  @IsOptional()
  @IsUserAttrs()
  userAttrs?: Record<string, string>;
}
