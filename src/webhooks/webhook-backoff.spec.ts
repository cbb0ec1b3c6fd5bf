import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, nextAttemptDelayMs, retryDelayMs } from './webhook-backoff';

describe('webhook retry backoff', () => {
  const policy = { baseMs: 5000, maxAttempts: 100, retryHours: 24 };

  it('doubles the ceiling from the base and caps it at an hour', () => {
    const ceiling = (attempts: number) => retryDelayMs(attempts, 5000, () => 1);
    expect([1, 2, 3, 4].map(ceiling)).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(ceiling(11)).toBe(MAX_RETRY_DELAY_MS);
    expect(ceiling(500)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('draws uniformly below the ceiling (full jitter), never zero', () => {
    expect(retryDelayMs(3, 5000, () => 0.5)).toBe(10_000);
    expect(retryDelayMs(3, 5000, () => 0)).toBe(1);
    const draws = Array.from({ length: 200 }, () => retryDelayMs(4, 5000));
    expect(Math.max(...draws)).toBeLessThanOrEqual(40_000);
    expect(new Set(draws).size).toBeGreaterThan(100);
  });

  it('gives up when the attempts are spent', () => {
    const now = Date.now();
    expect(nextAttemptDelayMs({ ...policy, maxAttempts: 3 }, 2, new Date(now), now)).toBeGreaterThan(0);
    expect(nextAttemptDelayMs({ ...policy, maxAttempts: 3 }, 3, new Date(now), now)).toBeUndefined();
  });

  it('gives up when the next attempt would fall past the retry period', () => {
    const now = Date.now();
    const created = new Date(now - 24 * 3_600_000 + 1000);
    expect(nextAttemptDelayMs(policy, 1, created, now, () => 0.1)).toBe(500);
    expect(nextAttemptDelayMs(policy, 1, created, now, () => 0.9)).toBeUndefined();
    expect(nextAttemptDelayMs(policy, 1, new Date(now - 25 * 3_600_000), now)).toBeUndefined();
  });
});
