import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiInstant, ApiInt64Id, ApiInteger } from '../../common/openapi/api-fields';
import { ActionTrigger, MISMATCH_POLICIES, type MismatchPolicy, TRIGGERS } from '../action.entity';
import { MISSED_FIRES, type MissedFires } from '../action-schedule';
import { VariableDeclarationDto } from './variable-declaration.dto';

export class WorkflowTemplateResponseDto {
  @ApiInt64Id({ example: '7', pattern: '^[0-9]{1,18}$' }) id: string;
  @ApiProperty({ example: 'import-orders' }) name: string;
  @ApiInt64Id({ example: '3', pattern: '^[0-9]{1,18}$' }) revision: string;
  @ApiProperty({ example: 'Imports the orders of one day', description: 'Empty when none was given' }) description: string;
}

/** A TIME action's schedule, defaults filled in; secret variables read "***". */
export class ActionScheduleResponseDto {
  @ApiProperty({ example: '0 2 * * *', description: '5 fields, or 6 with seconds first' }) cron: string;
  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone the cron is read in' }) timezone: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { date: 'yesterday' } }) actionVariables: Record<string, unknown>;
  @ApiProperty({ example: true }) enabled: boolean;
  @ApiProperty({ enum: MISSED_FIRES, enumName: 'MissedFires', example: 'RUN_LATEST' }) missedFires: MissedFires;
}

/** An action as stored: every field, defaults filled in. */
export class ActionResponseDto {
  @ApiProperty({ example: 'import' }) name: string;
  @ApiProperty({ enum: TRIGGERS, enumName: 'ActionTrigger', example: 'ON_DEMAND' }) trigger: ActionTrigger;
  @ApiProperty({ example: 'imports' }) queue: string;
  @ApiProperty({ type: WorkflowTemplateResponseDto }) workflowTemplate: WorkflowTemplateResponseDto;
  @ApiProperty({ type: [VariableDeclarationDto] }) variables: VariableDeclarationDto[];
  @ApiProperty({ type: [String], example: [], description: 'Roles allowed to submit; empty = anyone holding WORKFLOW' })
  allowedRoles: string[];
  @ApiInteger({ minimum: 1, maximum: 100, example: 3 }) maxAttempts: number;
  @ApiInteger({ nullable: true, minimum: 1, maximum: 604800, example: 900, description: 'null: no bound' })
  timeoutSeconds: number | null;
  @ApiInteger({ minimum: -1000, maximum: 1000, example: 0 }) priority: number;
  @ApiProperty({ example: true }) enabled: boolean;
  @ApiProperty({ enum: MISMATCH_POLICIES, enumName: 'MismatchPolicy', example: 'REPLAY' }) onMismatch: MismatchPolicy;
  @ApiPropertyOptional({ type: ActionScheduleResponseDto, description: 'The schedule of a TIME action; absent for other triggers' })
  schedule?: ActionScheduleResponseDto;
  @ApiInstant() createdAt: string;
  @ApiInstant() updatedAt: string;
}
