import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';

type Options = Omit<ApiPropertyOptions, 'type' | 'format'> & { nullable?: boolean; required?: boolean };

const INSTANT_EXAMPLE = '2026-11-23T10:15:30.123Z';

/** An instant as RFC 3339 in UTC with milliseconds, as every timestamp of the API is written. */
export const ApiInstant = (options: Options = {}) =>
  ApiProperty({ example: INSTANT_EXAMPLE, ...options, type: 'string', format: 'date-time' } as ApiPropertyOptions);

/** A 64-bit id as a string of digits: JavaScript numbers lose precision above 2^53 (docs/api.md, "The OpenAPI document"). */
export const ApiInt64Id = (options: Options = {}) =>
  ApiProperty({
    example: '1042',
    description: '64-bit integer as a string of digits',
    pattern: '^[0-9]{1,20}$',
    ...options,
    type: 'string',
  } as ApiPropertyOptions);

/** A whole number (OpenAPI `integer`, not `number`). */
export const ApiInteger = (options: Options = {}) => ApiProperty({ ...options, type: 'integer' } as ApiPropertyOptions);

const ANY_JSON_VALUE = {
  oneOf: [
    // OpenAPI 3.0 has no null type: a branch carries `nullable`.
    { type: 'object', additionalProperties: true, nullable: true },
    { type: 'array', items: {} },
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
  ],
};

/** Any JSON value the client chose (a worker's result, a variable's default): typed clients accept each kind. */
export const ApiAnyJson = (options: Options = {}) =>
  ApiProperty({ ...options, ...ANY_JSON_VALUE } as ApiPropertyOptions);
