import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { prometheusContentType } from 'prom-client';
import { RequirePermission } from '../auth/decorators';
import { MetricsService } from './metrics.service';

const EXAMPLE = [
  '# HELP gateway_queue_depth SUBMITTED jobs waiting for a worker (including those in retry backoff or delayed by notBefore), by queue',
  '# TYPE gateway_queue_depth gauge',
  'gateway_queue_depth{queue="imports"} 3',
  '',
].join('\n');

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @RequirePermission('METRICS', { publicWhen: 'metricsPublic' })
  @ApiOperation({ summary: 'Prometheus metrics of this instance (docs/operations.md lists them)' })
  @ApiOkResponse({
    description: 'The Prometheus text exposition format',
    // The exact Content-Type sent: the registry's default, Prometheus text format 0.0.4.
    content: { [prometheusContentType]: { schema: { type: 'string' }, example: EXAMPLE } },
  })
  async getMetrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.type(this.metrics.contentType);
    return this.metrics.scrape();
  }
}
