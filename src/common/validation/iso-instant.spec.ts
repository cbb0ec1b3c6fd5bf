import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from './iso-instant';

describe('parseIsoInstant', () => {
  it.each([
    ['2026-02-28T00:00:00Z', Date.UTC(2026, 1, 28)],
    ['2024-02-29T12:00:00Z', Date.UTC(2024, 1, 29, 12)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['2026-11-23T10:00Z', Date.UTC(2026, 10, 23, 10)],
    ['2026-03-01T00:30:00+01:00', Date.UTC(2026, 1, 28, 23, 30)],
    ['2026-03-01T00:30:00+0100', Date.UTC(2026, 1, 28, 23, 30)],
    ['2026-12-31T23:59:59.123456789-05:30', Date.UTC(2027, 0, 1, 5, 29, 59, 123)],
    ['2026-04-30T00:00:00.5Z', Date.UTC(2026, 3, 30, 0, 0, 0, 500)],
  ])('reads %s', (raw, epoch) => {
    expect(parseIsoInstant(raw)?.getTime()).toBe(epoch);
  });

  it.each([
    ['2026-02-30T00:00:00Z', 'February 30th, which new Date() rolls over to March 2nd'],
    ['2026-02-29T00:00:00Z', 'February 29th of a common year'],
    ['1900-02-29T00:00:00Z', 'February 29th of a century that is no leap year'],
    ['2026-04-31T00:00:00Z', 'April 31st'],
    ['2026-13-01T00:00:00Z', 'month 13'],
    ['2026-00-10T00:00:00Z', 'month 0'],
    ['2026-01-00T00:00:00Z', 'day 0'],
    ['2026-01-01T24:00:00Z', 'hour 24'],
    ['2026-01-01T10:60:00Z', 'minute 60'],
    ['2026-01-01T10:00:60Z', 'second 60'],
    ['2026-01-01T10:00:00+24:00', 'an offset of 24 hours'],
    ['2026-01-01T10:00:00+01:60', 'an offset of 60 minutes'],
    ['2026-01-01T10:00:00', 'no offset'],
    ['2026-01-01', 'a date alone'],
    ['2026-1-1T10:00:00Z', 'short fields'],
    [' 2026-01-01T10:00:00Z', 'surrounding space'],
  ])('refuses %s (%s)', (raw) => {
    expect(parseIsoInstant(raw)).toBeUndefined();
  });
});
