import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { CatalogueModule } from './catalogue';
import { PagingModule } from './common/paging/paging.module';
import { RateLimitModule } from './common/rate-limit/rate-limit';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { QueuesModule } from './queues';
import { MetricsModule } from './metrics/metrics.module';
import { RetentionModule } from './retention/retention.module';
import { SchedulesModule } from './schedules';
import { WebhooksModule } from './webhooks';
import { WorkersModule } from './workers/workers.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule,
        MetricsModule,
        PagingModule,
        RateLimitModule,
        AuthModule,
        CatalogueModule,
        JobsModule,
        QueuesModule,
        WorkersModule,
        RetentionModule,
        SchedulesModule,
        WebhooksModule,
        HealthModule,
        ConsoleModule,
      ],
    };
  }
}
