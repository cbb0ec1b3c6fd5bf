import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { TRIGGERS } from '../../actions/dto/action.dto';
import { CONTRACT_TYPES } from '../../contracts/contract.entity';
import { JOB_STATUSES } from '../job-status';
import { SORT_FIELDS } from '../job-list-query';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+ -]\d{2}:?\d{2})$/;
const ISO_MESSAGE = (name: string) => `${name} must be ISO 8601 with an offset, e.g. 2024-03-26T13:30:30+01:00`;

function Text(maxLength = 128) {
  return (target: object, key: string) => {
    IsOptional()(target, key);
    IsString()(target, key);
    MaxLength(maxLength)(target, key);
    ApiPropertyOptional({ maxLength })(target, key);
  };
}

function Digits(maxDigits: number, description: string) {
  return (target: object, key: string) => {
    IsOptional()(target, key);
    Matches(new RegExp(`^\\d{1,${maxDigits}}$`), { message: `${key} must be an integer (digits only)` })(target, key);
    ApiPropertyOptional({ type: 'string', pattern: `^\\d{1,${maxDigits}}$`, description })(target, key);
  };
}

function Instant() {
  return (target: object, key: string) => {
    IsOptional()(target, key);
    Matches(ISO_WITH_OFFSET, { message: ISO_MESSAGE(key) })(target, key);
    ApiPropertyOptional({ example: '2026-11-23T10:00:00Z', description: key.endsWith('From') ? 'inclusive' : 'exclusive' })(
      target,
      key,
    );
  };
}

/**
 * The query of GET /job-manager/jobs: Data One's filters, all exact, combined with AND. Every
 * value stays a string here (no implicit conversion); the service converts them explicitly.
 */
export class ListJobsQueryDto {
  @Digits(19, 'Job id') id?: string;

  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: string;

  @Text() queue?: string;
  @Text() contract?: string;
  @Digits(18, 'Workflow template id') workflowTemplateId?: string;
  @Text() workflowTemplateName?: string;
  @Digits(18, 'Workflow template revision') workflowTemplateRevision?: string;
  @Instant() createdAtFrom?: string;
  @Instant() createdAtTo?: string;
  @Instant() updatedAtFrom?: string;
  @Instant() updatedAtTo?: string;
  @Text(64) extIPID?: string;
  @Text() submittedBy?: string;
  @Text(36) dfiid?: string;
  @Text() lcid?: string;
  @Text() actor?: string;
  @Text() contractAction?: string;

  @ApiPropertyOptional({ enum: CONTRACT_TYPES })
  @IsOptional()
  @IsIn(CONTRACT_TYPES)
  contractType?: string;

  @ApiPropertyOptional({ enum: TRIGGERS })
  @IsOptional()
  @IsIn(TRIGGERS)
  contractActionTrigger?: string;

  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Matches(/^(1000|[1-9]\d{0,2})$/, { message: 'maxItems must be an integer from 1 to 1000' })
  maxItems?: string;

  @ApiPropertyOptional({
    default: '-id',
    example: '+createdAt',
    description: `+field (ascending) or -field (descending), comma-separated; fields: ${SORT_FIELDS.join(', ')}`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  sort?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Adds "total": the number of all matching jobs' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'includeTotal must be true or false' })
  includeTotal?: string;

  @ApiPropertyOptional({ description: "Opaque keyset cursor, as found in the previous page's next link" })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}
