import type { RateLimitRule } from '../../config/app-config';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/** Past `maxKeys`, the least recently used key is forgotten: it starts again full, erring towards letting through. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly rule: RateLimitRule,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token for `key`: answers 0 when the request may go on, else the seconds until it may. */
  take(key: string, nowMs: number): number {
    const { perSecond, burst } = this.rule;
    const bucket = this.buckets.get(key) ?? { tokens: burst, refilledAt: nowMs };
    // Re-inserted, so the Map's first key is the least recently used.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);

    const elapsedSeconds = Math.max(0, nowMs - bucket.refilledAt) / 1000;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * perSecond);
    bucket.refilledAt = Math.max(bucket.refilledAt, nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / perSecond;
  }

  /** Returns a token taken for `key`, for a request that turned out not to count. */
  giveBack(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.rule.burst, bucket.tokens + 1);
  }

  get size(): number {
    return this.buckets.size;
  }
}
