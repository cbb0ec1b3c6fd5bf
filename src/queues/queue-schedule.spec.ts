import { describe, expect, it } from 'vitest';
import { insideSlot, isOpen, localTime } from './queue-schedule';

const at = (iso: string) => new Date(iso);

describe('queue schedule', () => {
  it('reads the local time in the queue timezone, daylight saving included', () => {
    expect(localTime(at('2026-07-01T06:30:00Z'), 'UTC')).toBe('06:30');
    expect(localTime(at('2026-07-01T06:30:00Z'), 'Europe/Paris')).toBe('08:30');
    expect(localTime(at('2026-01-01T06:30:00Z'), 'Europe/Paris')).toBe('07:30');
    expect(localTime(at('2026-07-01T23:30:00Z'), 'Asia/Tokyo')).toBe('08:30');
    expect(localTime(at('2026-07-01T00:05:00Z'), 'UTC')).toBe('00:05');
  });

  it('includes a slot start and excludes its end', () => {
    const slot = { from: '08:00', to: '11:00' };
    expect(['07:59', '08:00', '10:59', '11:00'].map((time) => insideSlot(time, slot))).toEqual([false, true, true, false]);
  });

  it('crosses midnight when from is after to', () => {
    const slot = { from: '22:00', to: '02:00' };
    expect(['21:59', '22:00', '23:59', '00:00', '01:59', '02:00', '12:00'].map((time) => insideSlot(time, slot))).toEqual([
      false, true, true, true, true, false, false,
    ]);
  });

  it('opens ENABLED always, DISABLED never, SCHEDULED only inside a slot of its timezone', () => {
    const now = at('2026-07-01T06:30:00Z');
    const base = { timeSlots: [{ from: '08:00', to: '09:00' }], timezone: 'Europe/Paris' };
    expect(isOpen({ ...base, status: 'ENABLED' }, now)).toBe(true);
    expect(isOpen({ ...base, status: 'DISABLED' }, now)).toBe(false);
    expect(isOpen({ ...base, status: 'SCHEDULED' }, now)).toBe(true);
    expect(isOpen({ ...base, status: 'SCHEDULED', timezone: 'UTC' }, now)).toBe(false);
    expect(isOpen({ ...base, status: 'SCHEDULED', timeSlots: [] }, now)).toBe(false);
  });
});
