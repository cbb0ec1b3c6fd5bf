import { describe, expect, it } from 'vitest';
import type { ActionSchedule } from '../catalogue';
import { cronOf, fireExtIpid, firesBetween, firesOnStart, firesSince, latestFire, MAX_FIRES_PER_TICK, nextFires } from './fires';

const at = (iso: string) => new Date(iso);
const schedule = (overrides: Partial<ActionSchedule> = {}): ActionSchedule => ({
  cron: '0 2 * * *',
  timezone: 'UTC',
  actionVariables: {},
  enabled: true,
  missedFires: 'RUN_LATEST',
  since: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

describe('fire computation', () => {
  it('reads 5 fields as minute precision and 6 fields with seconds first', () => {
    expect(nextFires(schedule({ cron: '*/15 * * * *' }), at('2026-03-01T10:07:30Z'), 2)).toEqual([at('2026-03-01T10:15:00Z'), at('2026-03-01T10:30:00Z')]);
    expect(nextFires(schedule({ cron: '* * * * * *' }), at('2026-03-01T10:00:00.400Z'), 3)).toEqual([
      at('2026-03-01T10:00:01Z'),
      at('2026-03-01T10:00:02Z'),
      at('2026-03-01T10:00:03Z'),
    ]);
  });

  it('reads the cron in the schedule timezone, across a daylight-saving change', () => {
    const paris = schedule({ cron: '0 9 * * *', timezone: 'Europe/Paris' });
    expect(nextFires(paris, at('2026-03-28T00:00:00Z'), 2)).toEqual([at('2026-03-28T08:00:00Z'), at('2026-03-29T07:00:00Z')]);
  });

  it('lists the fires in (after, upTo], an exact fire instant at the start excluded', () => {
    const cron = cronOf(schedule({ cron: '* * * * * *' }));
    expect(firesBetween(cron, at('2026-03-01T10:00:00Z'), at('2026-03-01T10:00:03Z'))).toEqual([
      at('2026-03-01T10:00:01Z'),
      at('2026-03-01T10:00:02Z'),
      at('2026-03-01T10:00:03Z'),
    ]);
    expect(firesBetween(cron, at('2026-03-01T10:00:00.200Z'), at('2026-03-01T10:00:00.900Z'))).toEqual([]);
  });

  it('finds the latest fire at or before an instant, after a lower bound', () => {
    const cron = cronOf(schedule());
    expect(latestFire(cron, at('2026-02-01T00:00:00Z'), at('2026-03-01T02:00:00Z'))).toEqual(at('2026-03-01T02:00:00Z'));
    expect(latestFire(cron, at('2026-02-01T00:00:00Z'), at('2026-03-01T01:59:59Z'))).toEqual(at('2026-02-28T02:00:00Z'));
    expect(latestFire(cron, at('2026-02-28T02:00:00Z'), at('2026-03-01T01:59:59Z'))).toBeUndefined();
  });

  it('derives the extIPID from the fire instant alone, within 64 characters', () => {
    const id = fireExtIpid(at('2026-03-01T02:00:00Z'));
    expect(id).toBe('time:2026-03-01T02:00:00.000Z');
    expect(id.length).toBeLessThanOrEqual(64);
  });
});

describe('missed fires', () => {
  it('RUN_LATEST submits the latest fire of the last 24 hours once on start', () => {
    expect(firesOnStart(schedule(), at('2026-03-05T15:00:00Z'))).toEqual([at('2026-03-05T02:00:00Z')]);
  });

  it('RUN_LATEST looks back no further than 24 hours', () => {
    expect(firesOnStart(schedule({ cron: '0 2 1 * *' }), at('2026-03-05T15:00:00Z'))).toEqual([]);
  });

  it('RUN_LATEST never runs a fire from before the schedule took its form', () => {
    expect(firesOnStart(schedule({ since: '2026-03-05T10:00:00.000Z' }), at('2026-03-05T15:00:00Z'))).toEqual([]);
    expect(firesOnStart(schedule({ since: '2026-03-05T02:00:00.000Z' }), at('2026-03-05T15:00:00Z'))).toEqual([at('2026-03-05T02:00:00Z')]);
  });

  it('SKIP starts from now', () => {
    expect(firesOnStart(schedule({ missedFires: 'SKIP' }), at('2026-03-05T15:00:00Z'))).toEqual([]);
  });

  it('submits every fire since the last tick while running', () => {
    const everySecond = schedule({ cron: '* * * * * *' });
    expect(firesSince(everySecond, at('2026-03-01T10:00:00.500Z'), at('2026-03-01T10:00:02.600Z'))).toEqual([
      at('2026-03-01T10:00:01Z'),
      at('2026-03-01T10:00:02Z'),
    ]);
  });

  it('treats more fires than a tick handles as downtime: RUN_LATEST keeps the latest, SKIP none', () => {
    const from = at('2026-03-01T10:00:00Z');
    const to = new Date(from.getTime() + (MAX_FIRES_PER_TICK + 10) * 1000);
    expect(firesSince(schedule({ cron: '* * * * * *' }), from, to)).toEqual([to]);
    expect(firesSince(schedule({ cron: '* * * * * *', missedFires: 'SKIP' }), from, to)).toEqual([]);
  });

  it('submits nothing when the clock went back', () => {
    expect(firesSince(schedule({ cron: '* * * * * *' }), at('2026-03-01T10:00:05Z'), at('2026-03-01T10:00:01Z'))).toEqual([]);
  });
});
