import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { ApiProblems } from '../common/errors/api-problems';
import type { Principal } from '../common/principal';
import { RateLimited } from '../common/rate-limit/rate-limit';
import { JobIdPipe } from '../common/validation/job-id.pipe';
import { clientGoneSignal } from '../common/http/client-gone';
import { type JobEntity, toJobResponse } from '../jobs';
import { AppendLogsDto, ClaimDto, CompleteDto, FailDto, HeartbeatDto } from './dto/worker.dto';
import {
  AppendLogsResponseDto,
  ClaimResponseDto,
  EndedJobResponseDto,
  HeartbeatResponseDto,
  toClaimedJob,
} from './dto/worker-responses.dto';
import { WorkersService } from './workers.service';

/** The ended job, and the next claim when one was asked for. */
function toEndedJob({ job, claimed }: { job: JobEntity; claimed?: JobEntity[] }): EndedJobResponseDto {
  return { ...toJobResponse(job), ...(claimed ? { claimed: claimed.map((next) => toClaimedJob(next, next.leaseToken as string)) } : {}) };
}

@ApiTags('workers')
@RequirePermission('WORKER')
@Controller('job-manager')
export class WorkersController {
  constructor(private readonly workers: WorkersService) {}

  @Post('workers/claim')
  @HttpCode(200)
  @RateLimited('claim')
  @ApiOperation({ summary: 'Claim up to maxJobs ready jobs of the queues (long-polls up to waitSeconds)' })
  @ApiOkResponse({ type: ClaimResponseDto })
  async claimJobs(@Body() body: ClaimDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<ClaimResponseDto> {
    const claimed = await this.workers.claim(body, clientGoneSignal(reply));
    return { jobs: claimed.map(({ job, leaseToken }) => toClaimedJob(job, leaseToken)) };
  }

  @Post('jobs/:id/heartbeat')
  @HttpCode(200)
  @ApiOperation({ summary: 'Extend the lease, report progress; answers whether an abort is requested' })
  @ApiOkResponse({ type: HeartbeatResponseDto })
  @ApiProblems('JOB_NOT_FOUND', 'LEASE_LOST')
  async heartbeatJob(@Param('id', JobIdPipe) id: string, @Body() body: HeartbeatDto): Promise<HeartbeatResponseDto> {
    const job = await this.workers.heartbeat(id, body);
    return { abortRequested: Boolean(job.abortRequested), leaseExpiresAt: job.leaseExpiresAt!.toISOString() };
  }

  @Post('jobs/:id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'RUNNING → COMPLETED, with an optional result' })
  @ApiOkResponse({ type: EndedJobResponseDto })
  @ApiProblems('JOB_NOT_FOUND', 'LEASE_LOST')
  async completeJob(@Param('id', JobIdPipe) id: string, @Body() body: CompleteDto, @CurrentPrincipal() principal: Principal): Promise<EndedJobResponseDto> {
    return toEndedJob(await this.workers.complete(id, body, principal.name));
  }

  @Post('jobs/:id/fail')
  @HttpCode(200)
  @ApiOperation({ summary: 'Fail the execution: retry after backoff while attempts remain, else ERROR (ABORTED if requested)' })
  @ApiOkResponse({ type: EndedJobResponseDto })
  @ApiProblems('JOB_NOT_FOUND', 'LEASE_LOST')
  async failJob(@Param('id', JobIdPipe) id: string, @Body() body: FailDto, @CurrentPrincipal() principal: Principal): Promise<EndedJobResponseDto> {
    return toEndedJob(await this.workers.fail(id, body, principal.name));
  }

  @Post('jobs/:id/logs')
  @HttpCode(200)
  @ApiOperation({ summary: 'Append log lines to the current execution' })
  @ApiOkResponse({ type: AppendLogsResponseDto })
  @ApiProblems('JOB_NOT_FOUND', 'LEASE_LOST', 'LOG_LIMIT_REACHED')
  async appendJobLogs(@Param('id', JobIdPipe) id: string, @Body() body: AppendLogsDto): Promise<AppendLogsResponseDto> {
    return { appended: await this.workers.appendLogs(id, body) };
  }
}
