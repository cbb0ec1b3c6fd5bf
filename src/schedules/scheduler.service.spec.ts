import { describe, expect, it } from 'vitest';
import type { ScheduledAction, ScheduledActions } from '../catalogue';
import { DomainError } from '../common/errors/domain-error';
import type { AppConfig } from '../config/app-config';
import type { JobSubmissionsService } from '../jobs';
import { SchedulerService } from './scheduler.service';

type Submission = { principal: { name: string; roles: string[] }; dto: { extIPID?: string; actionVariables?: Record<string, unknown> } };

function harness(actions: ScheduledAction[], start: string) {
  let now = new Date(start);
  const submitted: Submission[] = [];
  const seen = new Set<string>();
  let failNext: unknown[] = [];
  const jobs = {
    submit: async (principal: Submission['principal'], dto: Submission['dto']) => {
      const failure = failNext.shift();
      if (failure) throw failure;
      submitted.push({ principal, dto });
      const created = !seen.has(dto.extIPID as string);
      seen.add(dto.extIPID as string);
      return { kind: created ? 'created' : 'duplicate', job: { id: String(submitted.length) } };
    },
  } as unknown as JobSubmissionsService;
  const catalogue = { list: async () => actions } as unknown as ScheduledActions;
  const config = { scheduler: { enabled: true, tickMs: 1000 } } as AppConfig;
  const scheduler = new SchedulerService(catalogue, jobs, config, () => now);
  return {
    scheduler,
    submitted,
    fires: () => submitted.map((entry) => entry.dto.extIPID),
    at: (iso: string) => (now = new Date(iso)),
    failWith: (...errors: unknown[]) => (failNext = errors),
  };
}

const action = (cron: string, overrides: Partial<ScheduledAction['schedule']> = {}, submittable = true): ScheduledAction => ({
  contract: 'acme',
  action: 'nightly',
  submittable,
  variables: [],
  allowedRoles: ['Operators'],
  schedule: { cron, timezone: 'UTC', actionVariables: { date: 'today' }, enabled: true, missedFires: 'RUN_LATEST', since: '2026-01-01T00:00:00.000Z', ...overrides },
});

describe('SchedulerService', () => {
  it('submits each fire once as the scheduler, with the schedule variables and the action roles', async () => {
    const t = harness([action('* * * * * *', { missedFires: 'SKIP' })], '2026-03-01T10:00:00.300Z');
    await t.scheduler.tick();
    expect(t.submitted).toEqual([]);
    t.at('2026-03-01T10:00:01.300Z');
    await t.scheduler.tick();
    t.at('2026-03-01T10:00:03.300Z');
    await t.scheduler.tick();
    expect(t.fires()).toEqual(['time:2026-03-01T10:00:01.000Z', 'time:2026-03-01T10:00:02.000Z', 'time:2026-03-01T10:00:03.000Z']);
    expect(t.submitted[0].principal).toMatchObject({ name: 'system:scheduler', roles: ['Operators'] });
    expect(t.submitted[0].dto.actionVariables).toEqual({ date: 'today' });
    expect(t.scheduler.lastFire('acme', 'nightly')).toMatchObject({ fireAt: new Date('2026-03-01T10:00:03Z'), created: true });
  });

  it('runs the latest missed fire on start with RUN_LATEST, and none with SKIP', async () => {
    const latest = harness([action('0 2 * * *')], '2026-03-05T15:00:00Z');
    await latest.scheduler.tick();
    expect(latest.fires()).toEqual(['time:2026-03-05T02:00:00.000Z']);
    const skip = harness([action('0 2 * * *', { missedFires: 'SKIP' })], '2026-03-05T15:00:00Z');
    await skip.scheduler.tick();
    expect(skip.fires()).toEqual([]);
  });

  it('retries a failed submission on the next tick and never throws', async () => {
    const t = harness([action('* * * * * *', { missedFires: 'SKIP' })], '2026-03-01T10:00:00.300Z');
    await t.scheduler.tick();
    t.failWith(new Error('database unavailable'));
    t.at('2026-03-01T10:00:01.300Z');
    await expect(t.scheduler.tick()).resolves.toBeUndefined();
    expect(t.fires()).toEqual([]);
    t.at('2026-03-01T10:00:02.300Z');
    await t.scheduler.tick();
    expect(t.fires()).toEqual(['time:2026-03-01T10:00:01.000Z', 'time:2026-03-01T10:00:02.000Z']);
  });

  it('drops a fire the gateway refuses for good', async () => {
    const t = harness([action('* * * * * *', { missedFires: 'SKIP' })], '2026-03-01T10:00:00.300Z');
    await t.scheduler.tick();
    t.failWith(new DomainError('VALIDATION_FAILED', 'no'));
    t.at('2026-03-01T10:00:02.300Z');
    await t.scheduler.tick();
    expect(t.fires()).toEqual(['time:2026-03-01T10:00:02.000Z']);
  });

  it('submits nothing for a disabled schedule or action, and does not catch up when enabled again', async () => {
    const disabled = action('* * * * * *', { missedFires: 'RUN_LATEST' }, false);
    const t = harness([disabled], '2026-03-01T10:00:00.300Z');
    await t.scheduler.tick();
    t.at('2026-03-01T10:00:05.300Z');
    await t.scheduler.tick();
    expect(t.fires()).toEqual([]);
    disabled.submittable = true;
    t.at('2026-03-01T10:00:06.300Z');
    await t.scheduler.tick();
    expect(t.fires()).toEqual(['time:2026-03-01T10:00:06.000Z']);
  });

  it('keeps the same fire instants whatever the clock of the instance: a skewed instance gets duplicates', async () => {
    const ahead = harness([action('* * * * * *', { missedFires: 'SKIP' })], '2026-03-01T10:00:00.900Z');
    await ahead.scheduler.tick();
    ahead.at('2026-03-01T10:00:02.900Z');
    await ahead.scheduler.tick();
    const behind = harness([action('* * * * * *', { missedFires: 'SKIP' })], '2026-03-01T10:00:00.100Z');
    await behind.scheduler.tick();
    behind.at('2026-03-01T10:00:02.100Z');
    await behind.scheduler.tick();
    expect(ahead.fires()).toEqual(behind.fires());
  });
});
