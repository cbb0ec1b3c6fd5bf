import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  it('lets a burst through, then one request per 1/perSecond', () => {
    const buckets = new TokenBuckets({ perSecond: 10, burst: 3 });
    expect([0, 1, 2].map(() => buckets.take('alice', 1000))).toEqual([0, 0, 0]);
    expect(buckets.take('alice', 1000)).toBeCloseTo(0.1);
    expect(buckets.take('alice', 1050)).toBeCloseTo(0.05);
    expect(buckets.take('alice', 1100)).toBe(0);
    expect(buckets.take('alice', 1100)).toBeCloseTo(0.1);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 });
    expect(buckets.take('alice', 0)).toBe(0);
    expect(buckets.take('alice', 0)).toBeGreaterThan(0);
    expect(buckets.take('bob', 0)).toBe(0);
  });

  it('refills no further than the burst, however long the key was idle', () => {
    const buckets = new TokenBuckets({ perSecond: 100, burst: 2 });
    buckets.take('alice', 0);
    buckets.take('alice', 0);
    const afterAnHour = 3_600_000;
    expect([buckets.take('alice', afterAnHour), buckets.take('alice', afterAnHour)]).toEqual([0, 0]);
    expect(buckets.take('alice', afterAnHour)).toBeGreaterThan(0);
  });

  it('does not refill when the clock steps back', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 });
    buckets.take('alice', 10_000);
    expect(buckets.take('alice', 5_000)).toBeCloseTo(1);
  });

  it('forgets the least recently used key beyond maxKeys, never more than maxKeys kept', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, 2);
    buckets.take('alice', 0);
    buckets.take('bob', 0);
    buckets.take('alice', 0);
    buckets.take('carol', 0);
    expect(buckets.size).toBe(2);
    expect(buckets.take('alice', 0)).toBeGreaterThan(0);
    expect(buckets.take('bob', 0)).toBe(0);
  });

  it('takes a token back for a request that did not count, never beyond the burst', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 2 });
    buckets.take('alice', 0);
    buckets.take('alice', 0);
    buckets.giveBack('alice');
    expect(buckets.take('alice', 0)).toBe(0);
    expect(buckets.take('alice', 0)).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) buckets.giveBack('alice');
    expect([buckets.take('alice', 0), buckets.take('alice', 0)]).toEqual([0, 0]);
    expect(buckets.take('alice', 0)).toBeGreaterThan(0);
    buckets.giveBack('nobody');
    expect(buckets.size).toBe(1);
  });
});
