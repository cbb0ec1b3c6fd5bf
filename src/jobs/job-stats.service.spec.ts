import { describe, expect, it } from 'vitest';
import { minuteKey, statsWindow, toBuckets } from './job-stats.service';

const NOW = new Date('2026-11-23T10:15:42.123Z');

describe('per-minute job stats', () => {
  it('spans the last minutes up to the end of the current one', () => {
    expect(statsWindow(NOW, 60)).toEqual({ from: new Date('2026-11-23T09:16:00.000Z'), to: new Date('2026-11-23T10:16:00.000Z') });
    expect(statsWindow(new Date('2026-11-23T10:15:00.000Z'), 1)).toEqual({
      from: new Date('2026-11-23T10:15:00.000Z'),
      to: new Date('2026-11-23T10:16:00.000Z'),
    });
  });

  it('keys an instant by its minute as the database writes it', () => {
    expect(minuteKey(NOW)).toBe('2026-11-23 10:15');
  });

  it('answers every minute oldest first, zero-filled, with the rows in their minutes', () => {
    const buckets = toBuckets(
      statsWindow(NOW, 3),
      [
        { minute: '2026-11-23 10:13', count: 4 },
        { minute: '2026-11-23 10:15', count: 1 },
      ],
      [
        { minute: '2026-11-23 10:15', status: 'COMPLETED', count: 2 },
        { minute: '2026-11-23 10:15', status: 'ERROR', count: 1 },
        { minute: '2026-11-23 10:14', status: 'ABORTED', count: 3 },
      ],
    );
    expect(buckets).toEqual([
      { minute: '2026-11-23T10:13:00.000Z', submitted: 4, finished: { COMPLETED: 0, ERROR: 0, ABORTED: 0 } },
      { minute: '2026-11-23T10:14:00.000Z', submitted: 0, finished: { COMPLETED: 0, ERROR: 0, ABORTED: 3 } },
      { minute: '2026-11-23T10:15:00.000Z', submitted: 1, finished: { COMPLETED: 2, ERROR: 1, ABORTED: 0 } },
    ]);
  });

  it('ignores rows outside the window and statuses that are not final', () => {
    const buckets = toBuckets(
      statsWindow(NOW, 1),
      [{ minute: '2026-11-23 10:14', count: 9 }],
      [{ minute: '2026-11-23 10:15', status: 'RUNNING', count: 5 }],
    );
    expect(buckets).toEqual([{ minute: '2026-11-23T10:15:00.000Z', submitted: 0, finished: { COMPLETED: 0, ERROR: 0, ABORTED: 0 } }]);
  });

  it('has 1440 buckets for a day', () => {
    const buckets = toBuckets(statsWindow(NOW, 1440), [], []);
    expect(buckets).toHaveLength(1440);
    expect(buckets[0].minute).toBe('2026-11-22T10:16:00.000Z');
  });
});
