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
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ROLE_PATTERN } from '../../config/resources';
import { ApiInteger } from '../../common/openapi/api-fields';
import { KeepAsSent } from '../../common/validation/json-bytes';
import { RESOURCE_NAME_MESSAGE, RESOURCE_NAME_PATTERN } from '../../common/validation/names';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { ActionTrigger, MISMATCH_POLICIES, type MismatchPolicy, TRIGGERS } from '../action.entity';
import { cronProblem, isTimeZone, MAX_CRON_LENGTH, MISSED_FIRES, type MissedFires } from '../action-schedule';
import { VariableDeclarationDto } from './variable-declaration.dto';

// Data One shows template ids and revisions as strings of digits; accept JSON numbers too.
const digitsAsString = ({ value }: { value: unknown }) =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;

/** What `digitsAsString` lets through: 1-18 digits, or a whole number that becomes them. */
const DIGITS_OR_INTEGER = {
  oneOf: [
    { type: 'string', pattern: '^[0-9]{1,18}$' },
    { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  ],
};

export class WorkflowTemplateDto {
  @ApiProperty({ ...DIGITS_OR_INTEGER, example: '7', description: 'A long, as a string of digits (a number is accepted)' })
  @Transform(digitsAsString)
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'id must be a string of 1-18 digits' })
  id: string;

  @ApiProperty({ example: 'import-orders', minLength: 1, maxLength: 128 })
  @IsString()
  @CharLength(1, 128)
  @IsSafeText()
  name: string;

  @ApiProperty({ ...DIGITS_OR_INTEGER, example: '3', description: 'A long, as a string of digits (a number is accepted)' })
  @Transform(digitsAsString)
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'revision must be a string of 1-18 digits' })
  revision: string;

  @ApiPropertyOptional({ example: 'Imports the orders of one day', maxLength: 1024 })
  @IsOptional()
  @IsString()
  @CharLength(0, 1024)
  @IsSafeText({ freeText: true })
  description?: string;
}

/** A TIME action's schedule; the cron is parsed by the library here, so a bad one is a 400 naming schedule.cron. */
export class ActionScheduleDto {
  @ApiProperty({ example: '0 2 * * *', minLength: 1, maxLength: MAX_CRON_LENGTH, description: '5 fields, or 6 with seconds first' })
  @ValidateBy({
    name: 'isCron',
    validator: { validate: (value: unknown) => cronProblem(value) === undefined, defaultMessage: (args) => `cron ${cronProblem(args?.value)}` },
  })
  cron: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', default: 'UTC', maxLength: 64, description: 'IANA time zone the cron is read in' })
  @IsOptional()
  @ValidateBy({ name: 'isTimeZone', validator: { validate: isTimeZone, defaultMessage: () => 'timezone must be an IANA time zone such as UTC or Europe/Paris' } })
  timezone?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { date: 'yesterday' }, description: "Checked against the action's variables like a submission; default {}" })
  @IsOptional()
  @KeepAsSent()
  @IsObject()
  actionVariables?: Record<string, unknown>;

  @ApiPropertyOptional({ default: true, description: 'false: no fires (the action can still be submitted on demand)' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ enum: MISSED_FIRES, enumName: 'MissedFires', default: 'RUN_LATEST', description: 'After downtime: run the latest missed fire once, or skip them' })
  @IsOptional()
  @IsIn(MISSED_FIRES)
  missedFires?: MissedFires;
}

/** The body of PUT /contracts/{name}/actions/{action}: the whole action. */
export class ActionDto {
  @ApiPropertyOptional({ enum: TRIGGERS, enumName: 'ActionTrigger', default: 'ON_DEMAND' })
  @IsOptional()
  @IsIn(TRIGGERS)
  trigger?: ActionTrigger;

  @ApiPropertyOptional({ example: 'imports', default: 'default', pattern: RESOURCE_NAME_PATTERN.source, description: 'Workers claim by queue' })
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
    type: [VariableDeclarationDto],
    maxItems: 100,
    example: [{ name: 'date', type: 'string', required: true, pattern: '^\\d{4}-\\d{2}-\\d{2}$' }],
  })
  @IsOptional()
  @KeepAsSent()
  @IsArray()
  @ArrayMaxSize(100)
  // Unknown here: the service's validateDeclarations checks each one against VariableDeclarationDto's rules.
  variables?: unknown[];

  @ApiPropertyOptional({
    type: [String],
    items: { type: 'string', pattern: ROLE_PATTERN.source },
    maxItems: 32,
    example: [],
    description: 'Roles allowed to submit; empty = anyone holding WORKFLOW',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(ROLE_PATTERN, { each: true, message: 'each role must be 1-64 characters of letters, digits, "_", ".", ":" or "-"' })
  allowedRoles?: string[];

  @ApiInteger({ required: false, default: 3, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number;

  @ApiInteger({ required: false, nullable: true, minimum: 1, maximum: 604800, example: 900, description: 'Bounds one execution; null: no bound' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(604800)
  timeoutSeconds?: number | null;

  @ApiInteger({ required: false, default: 0, minimum: -1000, maximum: 1000, description: 'Higher is claimed first' })
  @IsOptional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;

  @ApiPropertyOptional({ default: true, description: 'false: submissions answer 422 ACTION_DISABLED' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    enum: MISMATCH_POLICIES,
    enumName: 'MismatchPolicy',
    default: 'REPLAY',
    description: 'A duplicate submission with other variables: REPLAY answers 409 with the existing job, REJECT answers 422 IDEMPOTENCY_MISMATCH',
  })
  @IsOptional()
  @IsIn(MISMATCH_POLICIES)
  onMismatch?: MismatchPolicy;

  @ApiPropertyOptional({ type: ActionScheduleDto, description: 'Required when trigger is TIME, refused otherwise' })
  @ValidateIf((action: ActionDto) => action.trigger === 'TIME' || (action.schedule !== undefined && action.schedule !== null))
  @IsDefined({ message: 'schedule is required when trigger is TIME' })
  @ValidateBy({
    name: 'scheduleNeedsTime',
    validator: { validate: (_value, args) => (args?.object as ActionDto).trigger === 'TIME', defaultMessage: () => 'schedule is allowed only when trigger is TIME' },
  })
  @IsObject()
  @ValidateNested()
  @Type(() => ActionScheduleDto)
  schedule?: ActionScheduleDto | null;
}

/** An action inside a contract body or the contracts file, where it carries its own name. */
export class NamedActionDto extends ActionDto {
  @ApiProperty({ example: 'import', pattern: RESOURCE_NAME_PATTERN.source, description: 'Unique within the contract' })
  @IsString()
  @Matches(RESOURCE_NAME_PATTERN, { message: `name ${RESOURCE_NAME_MESSAGE}` })
  name: string;
}
