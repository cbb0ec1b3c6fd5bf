import { Global, Module } from '@nestjs/common';
import { GatewayMetrics } from './gateway-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { SubmissionMetricsInterceptor } from './submission-metrics.interceptor';

/** Global, so that every feature can record into GatewayMetrics without importing this module. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [GatewayMetrics, MetricsService, SubmissionMetricsInterceptor],
  exports: [GatewayMetrics, SubmissionMetricsInterceptor],
})
export class MetricsModule {}
