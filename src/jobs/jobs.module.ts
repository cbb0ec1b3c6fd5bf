import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CatalogueModule } from '../catalogue';
import { JobEntity } from './job.entity';
import { JobClaimsRepository } from './job-claims.repository';
import { JobEventEntity } from './job-event.entity';
import { JobSignals } from './job-signals';
import { JobExecutionEntity } from './job-execution.entity';
import { JobExecutionsRepository } from './job-executions.repository';
import { JobLifecycleService } from './job-lifecycle.service';
import { JobLogEntity } from './job-log.entity';
import { JobPurgeRepository } from './job-purge.repository';
import { JobsController } from './jobs.controller';
import { JobHistoryController } from './job-history.controller';
import { JobStatsController } from './job-stats.controller';
import { JobStatsRepository } from './job-stats.repository';
import { JobStatsService } from './job-stats.service';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { JobSubmissionsService } from './job-submissions.service';
import { JobWaitsService } from './job-waits.service';
import { JobInsertsRepository } from './job-inserts.repository';
import { SubmissionBatcher } from './submission-batcher';
import { JobTimelineRepository } from './job-timeline.repository';

/** The owner of the job tables: every read and write of jobs, executions and logs goes through its repositories. */
@Module({
  imports: [TypeOrmModule.forFeature([JobEntity, JobExecutionEntity, JobLogEntity, JobEventEntity]), CatalogueModule, AuthModule],
  controllers: [JobsController, JobHistoryController, JobStatsController],
  providers: [JobsService, JobSubmissionsService, JobWaitsService, JobInsertsRepository, SubmissionBatcher, JobsRepository, JobSignals, JobLifecycleService, JobClaimsRepository, JobExecutionsRepository, JobPurgeRepository, JobTimelineRepository, JobStatsService, JobStatsRepository],
  exports: [JobsService, JobInsertsRepository, JobSubmissionsService, JobsRepository, JobSignals, JobClaimsRepository, JobExecutionsRepository, JobPurgeRepository, JobTimelineRepository],
})
export class JobsModule {}
