import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../common/principal';
import { DEFAULT_STATS_MINUTES, JobStatsQueryDto, JobStatsResponseDto } from './dto/job-stats.dto';
import { JobStatsService } from './job-stats.service';

/** A static path: Fastify matches it before `jobs/:id`, whatever the registration order. */
@ApiTags('jobs')
@Controller('job-manager/jobs')
export class JobStatsController {
  constructor(private readonly stats: JobStatsService) {}

  @Get('stats')
  @RequirePermission('SPENGCEMANJOBS')
  @ApiOperation({ summary: 'Jobs submitted and finished per minute over the last minutes, oldest first (own jobs only without JOBS_ALL)' })
  @ApiOkResponse({ type: JobStatsResponseDto })
  getJobStats(@Query() query: JobStatsQueryDto, @CurrentPrincipal() principal: Principal): Promise<JobStatsResponseDto> {
    return this.stats.perMinute(principal, query.minutes ?? DEFAULT_STATS_MINUTES);
  }
}
