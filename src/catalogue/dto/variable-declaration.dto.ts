import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiInteger } from '../../common/openapi/api-fields';
import {
  MAX_DESCRIPTION_CHARS,
  MAX_PATTERN_CHARS,
  VARIABLE_NAME_PATTERN,
  VARIABLE_TYPES,
  VariableDeclaration,
  VariableType,
} from '../variables';

// Any JSON value but null, which `checkType` refuses for every variable type.
const JSON_VALUE = {
  oneOf: [
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
  ],
};

/** The schema of one declaration (docs/contracts.md, "Variable declarations"); `validateDeclarations` enforces it. */
export class VariableDeclarationDto implements VariableDeclaration {
  @ApiProperty({
    example: 'date',
    pattern: VARIABLE_NAME_PATTERN.source,
    description: 'Unique within the action; not `__proto__`, `constructor` or `prototype`',
  })
  name: string;

  @ApiProperty({ enum: VARIABLE_TYPES, enumName: 'VariableType', example: 'string' })
  type: VariableType;

  @ApiPropertyOptional({ default: false, description: 'Must be submitted; a required variable cannot have a default' })
  required?: boolean;

  // Not ApiAnyJson: that one admits null, which no variable type accepts.
  @ApiPropertyOptional({ ...JSON_VALUE, example: 'sftp', description: 'Filled in when absent; must satisfy the declaration itself' })
  default?: unknown;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION_CHARS, example: 'The business day to import' })
  description?: string;

  @ApiPropertyOptional({ type: 'array', minItems: 1, items: JSON_VALUE, example: ['sftp', 'api'], description: 'The allowed values' })
  enum?: unknown[];

  @ApiPropertyOptional({
    maxLength: MAX_PATTERN_CHARS,
    example: '^\\d{4}-\\d{2}-\\d{2}$',
    description: 'string variables: an RE2 regular expression; anchor it to match the whole value',
  })
  pattern?: string;

  @ApiPropertyOptional({ type: 'number', example: 1, description: 'number and integer variables: inclusive lower bound' })
  minimum?: number;

  @ApiPropertyOptional({ type: 'number', example: 100000, description: 'number and integer variables: inclusive upper bound' })
  maximum?: number;

  @ApiInteger({ required: false, minimum: 0, example: 64, description: 'string (code points) and array (items) variables' })
  maxLength?: number;

  @ApiPropertyOptional({ default: false, description: 'The value is never logged nor quoted in errors; jobs show it as "***" except to their worker' })
  secret?: boolean;
}
