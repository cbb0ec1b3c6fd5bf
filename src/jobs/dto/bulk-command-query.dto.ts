import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { ListJobsQueryDto } from './list-jobs-query.dto';
import { QueryBoolean } from '../../common/validation/query-boolean';

/** The list filters, plus the explicit `all=true` a bulk command needs when it names none (docs/workers.md, "Bulk commands"). */
export class BulkCommandQueryDto extends ListJobsQueryDto {
  @ApiPropertyOptional({ type: 'boolean', description: 'Required (true) to act on every job when no filter is given' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'all must be true or false' })
  all?: boolean;
}
