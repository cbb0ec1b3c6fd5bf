import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { nextLink } from '../common/paging/next-link';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../auth/principal';
import { AppConfig } from '../config/app-config';
import { SubmitJobDto } from './dto/submit-job.dto';
import { JobListResponseDto, JobResponseDto, toJobResponse } from './dto/job-response.dto';
import { ListJobsQueryDto } from './dto/list-jobs-query.dto';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@Controller('job-manager/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @RequirePermission('WORKFLOW')
  @ApiOperation({ summary: 'Submit a job (idempotent by extIPID)' })
  @ApiCreatedResponse({ type: JobResponseDto, description: 'A new job; Location names it' })
  @ApiConflictResponse({
    type: JobResponseDto,
    description:
      'The existing job for this user, contract, action and extIPID (Idempotent-Replayed: true; ' +
      'Idempotency-Mismatch: actionVariables when the variables differ)',
  })
  async submit(
    @Body() body: SubmitJobDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponseDto> {
    const outcome = await this.jobs.submit(principal, body, request.id);
    const job = toJobResponse(outcome.job);
    if (outcome.kind === 'created') {
      reply.status(201).header('Location', `${this.config.http.contextPath}/job-manager/jobs/${job.id}`);
    } else {
      reply.status(409).header('Idempotent-Replayed', 'true');
      if (outcome.variablesDiffer) reply.header('Idempotency-Mismatch', 'actionVariables');
    }
    return job;
  }

  @Get()
  @RequirePermission('SPENGCEMANJOBS')
  @ApiOperation({ summary: 'List and filter jobs; follow next until it disappears' })
  @ApiOkResponse({ type: JobListResponseDto })
  async list(@Query() query: ListJobsQueryDto, @CurrentPrincipal() principal: Principal): Promise<JobListResponseDto> {
    const page = await this.jobs.list(principal, query);
    return {
      jobs: page.jobs.map(toJobResponse),
      ...(page.cursor
        ? { next: nextLink(this.config.http.contextPath, '/job-manager/jobs', { ...query }, page.cursor) }
        : {}),
      ...(page.total === undefined ? {} : { total: page.total }),
    };
  }

  @Get(':id')
  @RequirePermission('SPENGCEMANJOBS')
  @ApiOperation({ summary: 'One job' })
  @ApiOkResponse({ type: JobResponseDto })
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<JobResponseDto> {
    return toJobResponse(await this.jobs.get(principal, id));
  }
}
