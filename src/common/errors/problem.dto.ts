import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES, ErrorCode } from './error-codes';

export class FieldErrorDto {
  @ApiProperty({ example: 'contractName', description: 'Path of the offending field, e.g. `actions[0].queue`' }) field: string;
  @ApiProperty({ example: 'contractName is required' }) message: string;
}

/** RFC 9457 problem details with this gateway's stable `code` and extensions (docs/api.md, "Errors"). */
export class ProblemDto {
  @ApiProperty({ example: 'urn:ghibli-gateway:problem:job-not-found', description: 'urn:ghibli-gateway:problem: + the code in kebab case' })
  type: string;
  @ApiProperty({ example: 'Job not found' }) title: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 404 }) status: number;
  @ApiProperty({ example: 'Job 1042 does not exist or is not visible to you.' }) detail: string;
  @ApiProperty({ example: '/ghibli-rest/v2/job-manager/jobs/1042', description: 'The request path' }) instance: string;
  @ApiProperty({ enum: Object.keys(ERROR_CODES), enumName: 'ErrorCode', description: 'Stable, machine-readable' }) code: ErrorCode;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'One entry per refused field (VALIDATION_FAILED)' })
  errors?: FieldErrorDto[];
  @ApiPropertyOptional({ description: "ILLEGAL_TRANSITION: the job's status now" }) currentStatus?: string;
  @ApiPropertyOptional({ type: [String], description: 'ILLEGAL_TRANSITION: the statuses the command is allowed from' })
  allowedFrom?: string[];
  @ApiPropertyOptional({ type: [String], description: 'FORBIDDEN on submit: the roles the action allows' }) allowedRoles?: string[];
  @ApiPropertyOptional({ description: 'FORBIDDEN: the resource the route needs' }) resource?: string;
  @ApiPropertyOptional({ description: 'RATE_LIMITED, AUTH_THROTTLED: which limit was hit' }) limit?: string;
  @ApiPropertyOptional({ example: '1042', pattern: '^[0-9]{1,20}$', description: 'IDEMPOTENCY_MISMATCH: the job submitted with this key' })
  existingJobId?: string;
}
