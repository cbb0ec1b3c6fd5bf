import { Global, Module } from '@nestjs/common';
import { JobsModule } from '../jobs';
import { GatewayMetrics } from './gateway-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Global, so that every feature can record into GatewayMetrics without importing this module. */
@Global()
@Module({
  imports: [JobsModule],
  controllers: [MetricsController],
  providers: [GatewayMetrics, MetricsService],
  exports: [GatewayMetrics],
})
export class MetricsModule {}
