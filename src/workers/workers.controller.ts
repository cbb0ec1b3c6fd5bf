import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/decorators';
import { RateLimited } from '../common/rate-limit/rate-limit';
import { JobIdPipe } from '../common/validation/job-id.pipe';
import { toJobResponse } from '../jobs';
import { AppendLogsDto, ClaimDto, CompleteDto, FailDto, HeartbeatDto } from './dto/worker.dto';
import { WorkersService } from './workers.service';

@ApiTags('workers')
@RequirePermission('WORKER')
@Controller('job-manager')
export class WorkersController {
  constructor(private readonly workers: WorkersService) {}

  @Post('workers/claim')
  @HttpCode(200)
  @RateLimited('claim')
  @ApiOperation({ summary: 'Claim up to maxJobs ready jobs of the queues (long-polls up to waitSeconds)' })
  async claim(@Body() body: ClaimDto) {
    const claimed = await this.workers.claim(body);
    return {
      jobs: claimed.map(({ job, leaseToken }) => ({
        ...toJobResponse(job, { revealSecrets: true }),
        lease: { token: leaseToken, expiresAt: job.leaseExpiresAt?.toISOString() ?? null },
        execution: { number: job.executionCount },
      })),
    };
  }

  @Post('jobs/:id/heartbeat')
  @HttpCode(200)
  @ApiOperation({ summary: 'Extend the lease, report progress; answers whether an abort is requested' })
  async heartbeat(@Param('id', JobIdPipe) id: string, @Body() body: HeartbeatDto) {
    const job = await this.workers.heartbeat(id, body);
    return { abortRequested: Boolean(job.abortRequested), leaseExpiresAt: job.leaseExpiresAt?.toISOString() ?? null };
  }

  @Post('jobs/:id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'RUNNING → COMPLETED, with an optional result' })
  async complete(@Param('id', JobIdPipe) id: string, @Body() body: CompleteDto) {
    return toJobResponse(await this.workers.complete(id, body));
  }

  @Post('jobs/:id/fail')
  @HttpCode(200)
  @ApiOperation({ summary: 'Fail the execution: retry after backoff while attempts remain, else ERROR (ABORTED if requested)' })
  async fail(@Param('id', JobIdPipe) id: string, @Body() body: FailDto) {
    return toJobResponse(await this.workers.fail(id, body));
  }

  @Post('jobs/:id/logs')
  @HttpCode(200)
  @ApiOperation({ summary: 'Append log lines to the current execution' })
  async logs(@Param('id', JobIdPipe) id: string, @Body() body: AppendLogsDto) {
    return { appended: await this.workers.appendLogs(id, body) };
  }
}
