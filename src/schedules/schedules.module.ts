import { Module } from '@nestjs/common';
import { ScheduledActions } from '../catalogue';
import { JobsModule } from '../jobs';
import { SCHEDULER_CLOCK, systemClock } from './clock';
import { SchedulerService } from './scheduler.service';
import { SchedulesController } from './schedules.controller';
import { SchedulesService } from './schedules.service';

/** TIME triggers: the scheduler every instance runs, and GET /job-manager/schedules. */
@Module({
  // ScheduledActions is catalogue's stateless reader of the actions table, provided here so catalogue/ need not know schedules/.
  imports: [JobsModule],
  controllers: [SchedulesController],
  providers: [{ provide: SCHEDULER_CLOCK, useValue: systemClock }, ScheduledActions, SchedulerService, SchedulesService],
  exports: [SchedulerService],
})
export class SchedulesModule {}
