import { Inject, Injectable } from '@nestjs/common';
import { ScheduledActions, scheduleView } from '../catalogue';
import { SCHEDULER_CLOCK, type SchedulerClock } from './clock';
import { ScheduleListResponseDto } from './dto/schedule-response.dto';
import { nextFires } from './fires';
import { SchedulerService } from './scheduler.service';

export const NEXT_FIRES_SHOWN = 5;

@Injectable()
export class SchedulesService {
  constructor(
    private readonly scheduled: ScheduledActions,
    private readonly scheduler: SchedulerService,
    @Inject(SCHEDULER_CLOCK) private readonly clock: SchedulerClock,
  ) {}

  async list(): Promise<ScheduleListResponseDto> {
    const now = this.clock();
    const schedules = (await this.scheduled.list()).map((scheduled) => {
      const active = scheduled.submittable && scheduled.schedule.enabled;
      const last = this.scheduler.lastFire(scheduled.contract, scheduled.action);
      return {
        contractName: scheduled.contract,
        actionName: scheduled.action,
        schedule: scheduleView(scheduled.schedule, scheduled.variables),
        active,
        nextFires: active ? nextFires(scheduled.schedule, now, NEXT_FIRES_SHOWN).map((fire) => fire.toISOString()) : [],
        ...(last ? { lastFire: { fireAt: last.fireAt.toISOString(), jobId: last.jobId, created: last.created } } : {}),
      };
    });
    return { schedules };
  }
}
