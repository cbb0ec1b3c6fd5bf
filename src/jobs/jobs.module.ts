import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionsModule } from '../actions/actions.module';
import { AuthModule } from '../auth/auth.module';
import { JobExecutionEntity } from '../workers/job-execution.entity';
import { JobLogEntity } from '../workers/job-log.entity';
import { JobEntity } from './job.entity';
import { JobEvents } from './job-events';
import { JobLifecycleService } from './job-lifecycle.service';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

@Module({
  imports: [TypeOrmModule.forFeature([JobEntity, JobExecutionEntity, JobLogEntity]), ActionsModule, AuthModule],
  controllers: [JobsController],
  providers: [JobsService, JobsRepository, JobEvents, JobLifecycleService],
  exports: [JobsService, JobsRepository, JobEvents],
})
export class JobsModule {}
