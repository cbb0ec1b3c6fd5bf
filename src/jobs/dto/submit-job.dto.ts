import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsObject, IsOptional, IsString, MaxDate, MinDate, ValidateBy, ValidationOptions } from 'class-validator';
import { parseIsoInstant } from '../../common/validation/iso-instant';
import { jsonByteLength, KeepAsSent } from '../../common/validation/json-bytes';
import { isPlainObject } from '../../common/validation/plain-object';
import { CharLength, charCount, IsSafeText, unsafeTextReason } from '../../common/validation/safe-text';

const USER_ATTR_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_USER_ATTRS = 50;
const MAX_USER_ATTR_CHARS = 256;
const MAX_USER_ATTRS_BYTES = 16 * 1024;
// Inside what a DATETIME column holds on every supported database.
const EARLIEST_NOT_BEFORE = new Date('1970-01-01T00:00:00Z');
const LATEST_NOT_BEFORE = new Date('9999-12-31T23:59:59.999Z');

/** What is wrong with a `userAttrs` value, as a message, or undefined. */
function userAttrsProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'userAttrs must be an object';
  const entries = Object.entries(value);
  if (entries.length > MAX_USER_ATTRS) return `userAttrs must not have more than ${MAX_USER_ATTRS} keys`;
  for (const [key, entry] of entries) {
    if (!USER_ATTR_KEY.test(key)) return 'userAttrs keys must be 1-64 characters of letters, digits, "_", ".", ":" or "-"';
    if (typeof entry !== 'string') return `userAttrs.${key} must be a string`;
    const unsafe = unsafeTextReason(entry);
    if (unsafe) return `userAttrs.${key} ${unsafe}`;
    if (charCount(entry) > MAX_USER_ATTR_CHARS) return `userAttrs.${key} must be at most ${MAX_USER_ATTR_CHARS} characters long`;
  }
  if ((jsonByteLength(value) ?? Infinity) > MAX_USER_ATTRS_BYTES) {
    return `userAttrs must not exceed ${MAX_USER_ATTRS_BYTES} bytes when serialized as JSON`;
  }
  return undefined;
}

/** `userAttrs`: a flat map of short strings (Data One's dfic.userAttrs), stored as JSON. */
function IsUserAttrs(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isUserAttrs',
      validator: {
        validate: (value: unknown) => userAttrsProblem(value) === undefined,
        defaultMessage: (args) => userAttrsProblem(args?.value) ?? 'userAttrs is invalid',
      },
    },
    options,
  );
}

export class SubmitJobDto {
  @ApiProperty({ example: 'acme-orders' })
  @IsString()
  @CharLength(1, 128)
  @IsSafeText()
  contractName: string;

  @ApiProperty({ example: 'import' })
  @IsString()
  @CharLength(1, 128)
  @IsSafeText()
  actionName: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { date: '2026-11-23' },
    description: "Checked against the action's declared variables; defaults fill in. Default {}",
  })
  @IsOptional()
  @KeepAsSent()
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
  @CharLength(1, 64)
  @IsSafeText()
  extIPID?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { region: 'emea' } })
  @IsOptional()
  @KeepAsSent()
  @IsUserAttrs()
  userAttrs?: Record<string, string>;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    example: '2026-11-23T22:00:00+01:00',
    description: 'Not claimable before this instant (RFC 3339, with an offset); a past one changes nothing',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? (parseIsoInstant(value) ?? value) : value))
  @IsDate({ message: 'notBefore must be an RFC 3339 instant with an offset, e.g. 2026-11-23T22:00:00Z' })
  @MinDate(EARLIEST_NOT_BEFORE, { message: 'notBefore must be in 1970 or later' })
  @MaxDate(LATEST_NOT_BEFORE, { message: 'notBefore must be before the year 10000' })
  notBefore?: Date;
}
