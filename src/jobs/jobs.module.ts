import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CatalogueModule } from '../catalogue';
import { JobEntity } from './job.entity';
import { JobClaimsRepository } from './job-claims.repository';
import { JobEvents } from './job-events';
import { JobExecutionEntity } from './job-execution.entity';
import { JobExecutionsRepository } from './job-executions.repository';
import { JobLifecycleService } from './job-lifecycle.service';
import { JobLogEntity } from './job-log.entity';
import { JobPurgeRepository } from './job-purge.repository';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

/** The owner of the job tables: every read and write of jobs, executions and logs goes through its repositories. */
@Module({
  imports: [TypeOrmModule.forFeature([JobEntity, JobExecutionEntity, JobLogEntity]), CatalogueModule, AuthModule],
  controllers: [JobsController],
  providers: [JobsService, JobsRepository, JobEvents, JobLifecycleService, JobClaimsRepository, JobExecutionsRepository, JobPurgeRepository],
  exports: [JobsService, JobsRepository, JobEvents, JobClaimsRepository, JobExecutionsRepository, JobPurgeRepository],
})
export class JobsModule {}
