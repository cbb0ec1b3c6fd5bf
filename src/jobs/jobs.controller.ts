import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/errors/api-problems';
import { nextLink } from '../common/paging/next-link';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { Principal } from '../common/principal';
import { DEFAULT_MAX_ITEMS } from '../common/paging/max-items';
import { JobIdPipe } from '../common/validation/job-id.pipe';
import { AppConfig } from '../config/app-config';
import { RateLimited } from '../common/rate-limit/rate-limit';
import { SubmitJobDto } from './dto/submit-job.dto';
import { JobListResponseDto, JobResponseDto, toJobResponse } from './dto/job-response.dto';
import { BulkCommandQueryDto } from './dto/bulk-command-query.dto';
import { ListJobsQueryDto } from './dto/list-jobs-query.dto';
import { JobLogsQueryDto, PatchJobDto } from './dto/control.dto';
import { BulkCommandResultDto, JobExecutionListDto, JobLogPageDto, toExecutionDto, toLogLineDto } from './dto/job-activity.dto';
import { CONTROLLED_JOB, SUBMIT_CREATED, SUBMIT_REPLAYED } from './dto/job-responses';
import { JobLifecycleService } from './job-lifecycle.service';
import { ControlCommand } from './job-status';
import { JobsService } from './jobs.service';
import { JobSubmissionsService } from './job-submissions.service';
import { JobWaitsService } from './job-waits.service';
import { GetJobQueryDto, SubmissionCheckDto, SubmitQueryDto } from './dto/job-history.dto';
import { toSubmissionCheck } from './dto/submission-check';
import { extIpidOf } from './idempotency-key';
import { clientGoneSignal } from '../common/http/client-gone';

/** The query string as the client wrote it, for next links: the DTO holds converted values. */
const rawQuery = (request: FastifyRequest) => request.query as Record<string, string | undefined>;

@ApiTags('jobs')
@Controller('job-manager/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly submissions: JobSubmissionsService,
    private readonly waits: JobWaitsService,
    private readonly lifecycle: JobLifecycleService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @RequirePermission('WORKFLOW')
  @RateLimited('submit')
  @ApiOperation({ summary: 'Submit a job (idempotent by extIPID or Idempotency-Key); validateOnly=true checks it without creating it' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'The extIPID, when the body has none (IETF draft; quoted or bare); both and different: 400' })
  @ApiCreatedResponse(SUBMIT_CREATED)
  @ApiOkResponse({ type: SubmissionCheckDto, description: 'validateOnly=true: the submission is valid; nothing was created' })
  @ApiConflictResponse(SUBMIT_REPLAYED)
  @ApiProblems('CONTRACT_NOT_FOUND', 'ACTION_NOT_FOUND', 'CONTRACT_DISABLED', 'ACTION_DISABLED', 'IDEMPOTENCY_MISMATCH', 'IDEMPOTENCY_KEY_CONFLICT')
  async submitJob(
    @Body() body: SubmitJobDto,
    @Query() query: SubmitQueryDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponseDto | SubmissionCheckDto> {
    const submission = { ...body, extIPID: extIpidOf(body.extIPID, idempotencyKey) };
    if (query.validateOnly) {
      reply.status(200);
      return toSubmissionCheck(await this.submissions.validate(principal, submission, request.id));
    }
    const outcome = await this.submissions.submit(principal, submission, request.id);
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
  @ApiProblems('INVALID_CURSOR')
  async listJobs(
    @Query() query: ListJobsQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<JobListResponseDto> {
    const page = await this.jobs.list(principal, query);
    return {
      jobs: page.jobs.map((job) => toJobResponse(job)),
      ...(page.cursor
        ? { next: nextLink(this.config.http.contextPath, '/job-manager/jobs', rawQuery(request), page.cursor) }
        : {}),
      ...(page.total === undefined ? {} : { total: page.total }),
      ...(page.facets === undefined ? {} : { facets: page.facets }),
      ...(page.facetsTruncated === undefined ? {} : { facetsTruncated: page.facetsTruncated }),
    };
  }

  @Get(':id')
  @RequirePermission('SPENGCEMANJOBS')
  @ApiOperation({ summary: 'One job; waitSeconds=N answers as soon as it has finished, or after N seconds' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiProblems('JOB_NOT_FOUND', 'TOO_MANY_WAITERS')
  async getJob(
    @Param('id', JobIdPipe) id: string,
    @Query() query: GetJobQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponseDto> {
    if (!query.waitSeconds) return toJobResponse(await this.jobs.get(principal, id, 'display'));
    return toJobResponse(await this.waits.waitForEnd(principal, id, query.waitSeconds, clientGoneSignal(reply)));
  }

  @Post('abort')
  @HttpCode(200)
  @RequirePermission('WORKFLOW')
  @ApiOperation({ summary: `Abort every job matching the list filters (at most 1000 per call; "remaining" says to call again)` })
  @ApiOkResponse({ type: BulkCommandResultDto })
  abortJobs(@Query() query: BulkCommandQueryDto, @CurrentPrincipal() principal: Principal): Promise<BulkCommandResultDto> {
    return this.lifecycle.bulk(principal, query, 'abort');
  }

  @Post('restart')
  @HttpCode(200)
  @RequirePermission('WORKFLOW')
  @ApiOperation({ summary: 'Restart every ERROR or ABORTED job matching the list filters (at most 1000 per call)' })
  @ApiOkResponse({ type: BulkCommandResultDto })
  restartJobs(@Query() query: BulkCommandQueryDto, @CurrentPrincipal() principal: Principal): Promise<BulkCommandResultDto> {
    return this.lifecycle.bulk(principal, query, 'restart');
  }

  @Patch(':id')
  @RequirePermission('WORKFLOW')
  @ApiOperation({ summary: 'Change name, description or tags' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiProblems('JOB_NOT_FOUND')
  async updateJob(@Param('id', JobIdPipe) id: string, @Body() body: PatchJobDto, @CurrentPrincipal() principal: Principal): Promise<JobResponseDto> {
    return toJobResponse(await this.lifecycle.patch(principal, id, body));
  }

  @Post(':id/abort')
  @HttpCode(200)
  @RequirePermission('WORKFLOW')
  @ApiOperation({ summary: 'SUBMITTED/SUSPENDED → ABORTED (200); RUNNING → abort requested (202)' })
  @ApiOkResponse(CONTROLLED_JOB)
  @ApiAcceptedResponse({ ...CONTROLLED_JOB, description: 'The job is RUNNING: abort requested; the worker learns it at its next heartbeat' })
  @ApiProblems('JOB_NOT_FOUND', 'ILLEGAL_TRANSITION')
  abortJob(
    @Param('id', JobIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponseDto> {
    return this.control(id, 'abort', principal, reply);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @RequirePermission('WORKFLOW')
  @ApiOperation({ summary: 'SUBMITTED → SUSPENDED' })
  @ApiOkResponse(CONTROLLED_JOB)
  @ApiProblems('JOB_NOT_FOUND', 'ILLEGAL_TRANSITION')
  suspendJob(
    @Param('id', JobIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponseDto> {
    return this.control(id, 'suspend', principal, reply);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequirePermission('WORKFLOW')
  @ApiOperation({ summary: 'SUSPENDED → SUBMITTED' })
  @ApiOkResponse(CONTROLLED_JOB)
  @ApiProblems('JOB_NOT_FOUND', 'ILLEGAL_TRANSITION')
  resumeJob(
    @Param('id', JobIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponseDto> {
    return this.control(id, 'resume', principal, reply);
  }

  @Post(':id/restart')
  @HttpCode(200)
  @RequirePermission('WORKFLOW')
  @ApiOperation({ summary: 'ERROR/ABORTED → SUBMITTED, attempts reset; the next claim starts a new execution' })
  @ApiOkResponse(CONTROLLED_JOB)
  @ApiProblems('JOB_NOT_FOUND', 'ILLEGAL_TRANSITION')
  restartJob(
    @Param('id', JobIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponseDto> {
    return this.control(id, 'restart', principal, reply);
  }

  @Get(':id/executions')
  @RequirePermission('SPENGCEMANJOBS')
  @ApiOperation({ summary: 'Attempts: number, worker, started, ended, status, error' })
  @ApiOkResponse({ type: JobExecutionListDto })
  @ApiProblems('JOB_NOT_FOUND')
  async listJobExecutions(@Param('id', JobIdPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<JobExecutionListDto> {
    return { executions: (await this.lifecycle.executions(principal, id)).map(toExecutionDto) };
  }

  @Get(':id/logs')
  @RequirePermission('SPENGCEMANJOBS')
  @ApiOperation({ summary: 'Log lines, oldest first, paged with next' })
  @ApiOkResponse({ type: JobLogPageDto })
  @ApiProblems('JOB_NOT_FOUND', 'INVALID_CURSOR')
  async listJobLogs(
    @Param('id', JobIdPipe) id: string,
    @Query() query: JobLogsQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<JobLogPageDto> {
    const page = await this.lifecycle.logs(principal, id, query.maxItems ?? DEFAULT_MAX_ITEMS, query.cursor);
    return {
      lines: page.lines.map(toLogLineDto),
      ...(page.cursor
        ? { next: nextLink(this.config.http.contextPath, `/job-manager/jobs/${id}/logs`, rawQuery(request), page.cursor) }
        : {}),
    };
  }

  private async control(id: string, command: ControlCommand, principal: Principal, reply: FastifyReply): Promise<JobResponseDto> {
    const outcome = await this.lifecycle.control(principal, id, command);
    if (outcome.requested) reply.status(202);
    return toJobResponse(outcome.job);
  }
}
