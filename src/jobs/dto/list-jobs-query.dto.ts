import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CONTRACT_TYPES, TRIGGERS } from '../../catalogue';
import { MaxItems } from '../../common/paging/max-items';
import { parseIsoInstant } from '../../common/validation/iso-instant';
import { parseJobId } from '../../common/validation/job-id.pipe';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';
import { JOB_STATUSES } from '../job-status';
import { SORT_FIELDS } from '../job-list-query';
import { FACET_FIELDS, FACET_VALUE_LIMIT, FACETS_PATTERN } from '../job-facets';
import { QueryBoolean } from '../../common/validation/query-boolean';

const ISO_MESSAGE = (name: string) => `${name} must be ISO 8601 with an offset, e.g. 2024-03-26T13:30:30+01:00`;

function Text(maxLength = 128) {
  return (target: object, key: string) => {
    IsOptional()(target, key);
    IsString()(target, key);
    CharLength(0, maxLength)(target, key);
    IsSafeText()(target, key);
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

/** An unencoded "+01:00" arrives as " 01:00"; anything but a real instant stays as sent and fails IsDate. */
function toInstant(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  return parseIsoInstant(raw.replace(/ (\d{2}:?\d{2})$/, '+$1')) ?? raw;
}

function Instant() {
  return (target: object, key: string) => {
    IsOptional()(target, key);
    Transform(({ value }) => toInstant(value))(target, key);
    IsDate({ message: ISO_MESSAGE(key) })(target, key);
    ApiPropertyOptional({ example: '2026-11-23T10:00:00Z', description: key.endsWith('From') ? 'inclusive' : 'exclusive' })(
      target,
      key,
    );
  };
}

function JobIdFilter() {
  return (target: object, key: string) => {
    IsOptional()(target, key);
    Transform(({ value }) => {
      try {
        return typeof value === 'string' ? parseJobId(value) : value;
      } catch {
        return value;
      }
    })(target, key);
    Matches(/^[1-9]\d{0,18}$/, { message: `${key} must be a positive 64-bit integer written in digits` })(target, key);
    ApiPropertyOptional({ type: 'string', pattern: '^\\d{1,19}$', description: 'Job id' })(target, key);
  };
}

/** The query of GET /job-manager/jobs: Data One's filters, all exact, combined with AND; values converted here. */
export class ListJobsQueryDto {
  @JobIdFilter() id?: string;

  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: string;

  @Text() queue?: string;
  @Text() contract?: string;
  @Digits(18, 'Workflow template id') workflowTemplateId?: string;
  @Text() workflowTemplateName?: string;
  @Digits(18, 'Workflow template revision') workflowTemplateRevision?: string;
  @Instant() createdAtFrom?: Date;
  @Instant() createdAtTo?: Date;
  @Instant() updatedAtFrom?: Date;
  @Instant() updatedAtTo?: Date;
  @Text(64) extIPID?: string;
  @Text() submittedBy?: string;
  @Text(36) dfiid?: string;
  @Text() lcid?: string;
  @Text() actor?: string;
  @Text() contractAction?: string;
  @Digits(18, 'Jobs resubmitted from this job') resubmittedFrom?: string;

  @ApiPropertyOptional({ enum: CONTRACT_TYPES })
  @IsOptional()
  @IsIn(CONTRACT_TYPES)
  contractType?: string;

  @ApiPropertyOptional({ enum: TRIGGERS })
  @IsOptional()
  @IsIn(TRIGGERS)
  contractActionTrigger?: string;

  @MaxItems() maxItems?: number;

  @ApiPropertyOptional({
    default: '-id',
    example: '+createdAt',
    description: `+field (ascending) or -field (descending), comma-separated; fields: ${SORT_FIELDS.join(', ')}`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  sort?: string;

  @ApiPropertyOptional({ type: 'boolean', description: 'Adds "total": the number of all matching jobs' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'includeTotal must be true or false' })
  includeTotal?: boolean;

  @ApiPropertyOptional({
    pattern: FACETS_PATTERN,
    maxLength: 300,
    example: 'status,queue,contract',
    description: `Adds "facets": job counts per value of each named field (${FACET_FIELDS.join(', ')}), comma-separated, over all matching jobs; at most ${FACET_VALUE_LIMIT} values per field, the most frequent (see facetsTruncated)`,
  })
  @IsOptional()
  @IsString({ message: `facets must be a comma-separated list of ${FACET_FIELDS.join(', ')}` })
  @Matches(new RegExp(FACETS_PATTERN), { message: `facets must be a comma-separated list of ${FACET_FIELDS.join(', ')}` })
  @MaxLength(300)
  facets?: string;

  @ApiPropertyOptional({ description: "Opaque keyset cursor, as found in the previous page's next link" })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}
