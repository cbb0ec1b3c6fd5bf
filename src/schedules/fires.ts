import type { ActionSchedule } from '../catalogue';
import { scheduleCron } from '../catalogue';

/** How far back RUN_LATEST looks for a missed fire after downtime. */
export const MISSED_FIRE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** More fires than this since the last tick is downtime (a stalled process), handled like a restart. */
export const MAX_FIRES_PER_TICK = 60;

type Cron = ReturnType<typeof scheduleCron>;

/** The extIPID of a fire: its instant from the cron, never a local clock reading, so every instance derives the same. */
export function fireExtIpid(fire: Date): string {
  return `time:${fire.toISOString()}`;
}

export function cronOf(schedule: Pick<ActionSchedule, 'cron' | 'timezone'>): Cron {
  return scheduleCron(schedule.cron, schedule.timezone);
}

/** The next `count` fires strictly after `after`. */
export function nextFires(schedule: Pick<ActionSchedule, 'cron' | 'timezone'>, after: Date, count: number): Date[] {
  return cronOf(schedule).nextRuns(count, after);
}

/** Fires in (after, upTo], at most `max + 1` of them, so a caller can tell when there were more than `max`. */
export function firesBetween(cron: Cron, after: Date, upTo: Date, max = MAX_FIRES_PER_TICK): Date[] {
  const fires: Date[] = [];
  for (let next = cron.nextRun(after); next && next <= upTo && fires.length <= max; next = cron.nextRun(next)) fires.push(next);
  return fires;
}

/** The latest fire in (earliest, upTo], or undefined. */
export function latestFire(cron: Cron, earliest: Date, upTo: Date): Date | undefined {
  // previousRuns is strictly before its reference's whole second: one second on, then keep those not after upTo.
  const [latest] = cron.previousRuns(1, new Date(upTo.getTime() + 1000)).filter((fire) => fire <= upTo);
  return latest && latest > earliest ? latest : undefined;
}

/** The fires to submit when this instance first sees a schedule (start-up, or the schedule changed). */
export function firesOnStart(schedule: ActionSchedule, now: Date): Date[] {
  if (schedule.missedFires === 'SKIP') return [];
  const earliest = new Date(Math.max(now.getTime() - MISSED_FIRE_WINDOW_MS, Date.parse(schedule.since) - 1));
  const latest = latestFire(cronOf(schedule), earliest, now);
  return latest ? [latest] : [];
}

/** The fires that came in (cursor, now]; more than MAX_FIRES_PER_TICK is downtime, which follows missedFires. */
export function firesSince(schedule: ActionSchedule, cursor: Date, now: Date): Date[] {
  if (now <= cursor) return [];
  const cron = cronOf(schedule);
  const fires = firesBetween(cron, cursor, now);
  if (fires.length <= MAX_FIRES_PER_TICK) return fires;
  if (schedule.missedFires === 'SKIP') return [];
  const latest = latestFire(cron, cursor, now);
  return latest ? [latest] : [];
}
