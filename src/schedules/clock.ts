/** The scheduler's time source, a provider so unit tests drive it; fires themselves come from the cron. */
export const SCHEDULER_CLOCK = Symbol('SCHEDULER_CLOCK');
export type SchedulerClock = () => Date;
export const systemClock: SchedulerClock = () => new Date();
