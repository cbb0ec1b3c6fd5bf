import { Cron } from 'croner';
import type { FieldError } from '../common/errors/domain-error';
import { validateVariables, type VariableDeclaration } from './variables';

export const MISSED_FIRES = ['SKIP', 'RUN_LATEST'] as const;
export type MissedFires = (typeof MISSED_FIRES)[number];

/** A TIME action's schedule as stored; `since` is when it took this form: earlier fires are never missed ones. */
export interface ActionSchedule {
  cron: string;
  timezone: string;
  actionVariables: Record<string, unknown>;
  enabled: boolean;
  missedFires: MissedFires;
  since: string;
}

export const MAX_CRON_LENGTH = 128;
const MASKED_SECRET = '***';

/** Standard 5 fields, or 6 with seconds first; the library parses, nothing here does. */
export function scheduleCron(cron: string, timezone = 'UTC'): Cron {
  return new Cron(cron, { mode: '5-or-6-parts', timezone, domAndDow: false });
}

/** Why `cron` cannot be used, or undefined. */
export function cronProblem(cron: unknown): string | undefined {
  if (typeof cron !== 'string') return 'must be a string';
  if (cron.length === 0 || cron.length > MAX_CRON_LENGTH) return `must be 1-${MAX_CRON_LENGTH} characters long`;
  try {
    return scheduleCron(cron).nextRun() === null ? 'never fires' : undefined;
  } catch (error) {
    return `is not a cron expression of 5 fields (or 6 with seconds first): ${(error as Error).message.replace(/^CronPattern: /, '')}`;
  }
}

/** An IANA zone name the runtime knows ("UTC", "Europe/Paris"); offsets such as "+01:00" are not zones. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(value) || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The schedule's variables checked as a submission would check them, named under `field`. */
export function scheduleVariableErrors(declarations: VariableDeclaration[], values: Record<string, unknown>, field: string): FieldError[] {
  const result = validateVariables(declarations, values, field);
  return result.ok ? [] : result.errors;
}

/** Keeps `since` when an identical schedule is written again (a contracts file applied at each start). */
export function withSince(
  next: Omit<ActionSchedule, 'since'> | null,
  current: ActionSchedule | null | undefined,
  now: Date,
): ActionSchedule | null {
  if (!next) return null;
  const same =
    current &&
    current.cron === next.cron &&
    current.timezone === next.timezone &&
    current.missedFires === next.missedFires &&
    current.enabled === next.enabled &&
    JSON.stringify(current.actionVariables) === JSON.stringify(next.actionVariables);
  return { ...next, since: same ? current.since : now.toISOString() };
}

/** The schedule as readers see it: secret variables masked, as in job answers. */
export function scheduleView(schedule: ActionSchedule, declarations: VariableDeclaration[]) {
  const actionVariables = { ...schedule.actionVariables };
  for (const declaration of declarations) {
    if (declaration.secret && Object.hasOwn(actionVariables, declaration.name)) actionVariables[declaration.name] = MASKED_SECRET;
  }
  const { cron, timezone, enabled, missedFires } = schedule;
  return { cron, timezone, actionVariables, enabled, missedFires };
}
