// The public surface of schedules/ (docs/architecture.md).
export { SchedulesModule } from './schedules.module';
export { SchedulerService, SCHEDULER_PRINCIPAL_NAME } from './scheduler.service';
export { SCHEDULER_CLOCK, type SchedulerClock } from './clock';
export { ScheduleListResponseDto, ScheduleResponseDto } from './dto/schedule-response.dto';
