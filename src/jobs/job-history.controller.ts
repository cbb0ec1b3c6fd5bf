import { Body, Controller, Get, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { ApiProblems } from '../common/errors/api-problems';
import { DEFAULT_MAX_ITEMS } from '../common/paging/max-items';
import { nextLink } from '../common/paging/next-link';
import { Principal } from '../common/principal';
import { RateLimited } from '../common/rate-limit/rate-limit';
import { JobIdPipe } from '../common/validation/job-id.pipe';
import { AppConfig } from '../config/app-config';
import { JobLogsQueryDto } from './dto/control.dto';
import { JobEventPageDto, ResubmitJobDto, toJobEventDto } from './dto/job-history.dto';
import { JobResponseDto, toJobResponse } from './dto/job-response.dto';
import { SUBMIT_CREATED, SUBMIT_REPLAYED } from './dto/job-responses';
import { extIpidOf } from './idempotency-key';
import { JobLifecycleService } from './job-lifecycle.service';
import { JobSubmissionsService } from './job-submissions.service';

/** A job's timeline, and new jobs made from old ones (docs/events.md). */
@ApiTags('jobs')
@Controller('job-manager/jobs')
export class JobHistoryController {
  constructor(
    private readonly lifecycle: JobLifecycleService,
    private readonly submissions: JobSubmissionsService,
    private readonly config: AppConfig,
  ) {}

  @Get(':id/events')
  @RequirePermission('SPENGCEMANJOBS')
  @ApiOperation({ summary: 'The job\'s timeline, oldest first, paged with next' })
  @ApiOkResponse({ type: JobEventPageDto })
  @ApiProblems('JOB_NOT_FOUND', 'INVALID_CURSOR')
  async listJobEvents(
    @Param('id', JobIdPipe) id: string,
    @Query() query: JobLogsQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<JobEventPageDto> {
    const page = await this.lifecycle.events(principal, id, query.maxItems ?? DEFAULT_MAX_ITEMS, query.cursor);
    const raw = request.query as Record<string, string | undefined>;
    return {
      events: page.events.map(toJobEventDto),
      ...(page.cursor ? { next: nextLink(this.config.http.contextPath, `/job-manager/jobs/${id}/events`, raw, page.cursor) } : {}),
    };
  }

  @Post(':id/resubmit')
  @RequirePermission('WORKFLOW')
  @RateLimited('submit')
  @ApiOperation({ summary: "A new job of the same contract action, with the source's variables overridden by the given ones" })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'The extIPID, when the body has none' })
  @ApiCreatedResponse(SUBMIT_CREATED)
  @ApiConflictResponse(SUBMIT_REPLAYED)
  @ApiProblems('JOB_NOT_FOUND', 'CONTRACT_NOT_FOUND', 'ACTION_NOT_FOUND', 'CONTRACT_DISABLED', 'ACTION_DISABLED', 'IDEMPOTENCY_MISMATCH', 'IDEMPOTENCY_KEY_CONFLICT')
  async resubmitJob(
    @Param('id', JobIdPipe) id: string,
    @Body() body: ResubmitJobDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponseDto> {
    const change = { ...body, extIPID: extIpidOf(body.extIPID, idempotencyKey) };
    const outcome = await this.submissions.resubmit(principal, id, change, request.id);
    const job = toJobResponse(outcome.job);
    if (outcome.kind === 'created') {
      reply.status(201).header('Location', `${this.config.http.contextPath}/job-manager/jobs/${job.id}`);
    } else {
      reply.status(409).header('Idempotent-Replayed', 'true');
      if (outcome.variablesDiffer) reply.header('Idempotency-Mismatch', 'actionVariables');
    }
    return job;
  }
}
