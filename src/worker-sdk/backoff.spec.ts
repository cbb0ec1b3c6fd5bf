import { describe, expect, it } from 'vitest';
import { fullJitterDelayMs, parseRetryAfterMs } from './backoff';

const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

describe('fullJitterDelayMs', () => {
  it('doubles the bound with each failed attempt, up to the maximum', () => {
    const atTheBound = () => 0.999999;
    expect(fullJitterDelayMs(1, policy, atTheBound)).toBe(99);
    expect(fullJitterDelayMs(2, policy, atTheBound)).toBe(199);
    expect(fullJitterDelayMs(4, policy, atTheBound)).toBe(799);
    expect(fullJitterDelayMs(30, policy, atTheBound)).toBe(999);
  });

  it('may be anything from zero to the bound', () => {
    expect(fullJitterDelayMs(3, policy, () => 0)).toBe(0);
    expect(fullJitterDelayMs(3, policy, () => 0.5)).toBe(200);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfterMs('0')).toBe(0);
    expect(parseRetryAfterMs('5')).toBe(5000);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfterMs(null)).toBeUndefined();
    expect(parseRetryAfterMs('')).toBeUndefined();
    expect(parseRetryAfterMs('soon')).toBeUndefined();
  });
});
