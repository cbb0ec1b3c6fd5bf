import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ROLE_PATTERN } from '../../config/resources';
import { KeepAsSent } from '../../common/validation/json-bytes';
import { RESOURCE_NAME_MESSAGE, RESOURCE_NAME_PATTERN } from '../../common/validation/names';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';

export const TRIGGERS = ['ON_DEMAND', 'SCHEDULED', 'EVENT'] as const;

// Data One shows template ids and revisions as strings of digits; accept JSON numbers too.
const digitsAsString = ({ value }: { value: unknown }) =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;

export class WorkflowTemplateDto {
  @ApiProperty({ example: '7', description: 'A long, as a string of digits (a number is accepted)' })
  @Transform(digitsAsString)
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'id must be a string of 1-18 digits' })
  id: string;

  @ApiProperty({ example: 'import-orders' })
  @IsString()
  @CharLength(1, 128)
  @IsSafeText()
  name: string;

  @ApiProperty({ example: '3', description: 'A long, as a string of digits (a number is accepted)' })
  @Transform(digitsAsString)
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'revision must be a string of 1-18 digits' })
  revision: string;

  @ApiPropertyOptional({ example: 'Imports the orders of one day' })
  @IsOptional()
  @IsString()
  @CharLength(0, 1024)
  @IsSafeText({ freeText: true })
  description?: string;
}

/** The body of PUT /contracts/{name}/actions/{action}: the whole action. */
export class ActionDto {
  @ApiPropertyOptional({ enum: TRIGGERS, default: 'ON_DEMAND' })
  @IsOptional()
  @IsIn(TRIGGERS)
  trigger?: (typeof TRIGGERS)[number];

  @ApiPropertyOptional({ example: 'default', default: 'default' })
  @IsOptional()
  @IsString()
  @Matches(RESOURCE_NAME_PATTERN, { message: `queue ${RESOURCE_NAME_MESSAGE}` })
  queue?: string;

  @ApiProperty({ type: WorkflowTemplateDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => WorkflowTemplateDto)
  workflowTemplate: WorkflowTemplateDto;

  @ApiPropertyOptional({
    description:
      'Variable declarations: {name, type (string|number|integer|boolean|object|array), required, default, ' +
      'description, enum, pattern, minimum, maximum, maxLength, secret}',
    type: 'array',
    items: { type: 'object' },
    example: [{ name: 'date', type: 'string', required: true, pattern: '^\\d{4}-\\d{2}-\\d{2}$' }],
  })
  @IsOptional()
  @KeepAsSent()
  @IsArray()
  @ArrayMaxSize(100)
  variables?: unknown[];

  @ApiPropertyOptional({ example: [], description: 'Roles allowed to submit; empty = anyone holding WORKFLOW' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(ROLE_PATTERN, { each: true, message: 'each role must be 1-64 characters of letters, digits, "_", ".", ":" or "-"' })
  allowedRoles?: string[];

  @ApiPropertyOptional({ default: 3, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 604800, nullable: true, description: 'Bounds one execution' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(604800)
  timeoutSeconds?: number | null;

  @ApiPropertyOptional({ default: 0, minimum: -1000, maximum: 1000, description: 'Higher runs first' })
  @IsOptional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** An action inside a contract body or the contracts file, where it carries its own name. */
export class NamedActionDto extends ActionDto {
  @ApiProperty({ example: 'import' })
  @IsString()
  @Matches(RESOURCE_NAME_PATTERN, { message: `name ${RESOURCE_NAME_MESSAGE}` })
  name: string;
}
