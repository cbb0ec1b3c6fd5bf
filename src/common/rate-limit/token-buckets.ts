export interface RateLimitRule {
  /** Sustained requests per second a key may make. */
  perSecond: number;
  /** Requests a key may make at once after being idle. */
  burst: number;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * One token bucket per key, in process memory. Idle keys are forgotten least-recently-used first
 * once there are `maxKeys` of them: a forgotten key starts again with a full bucket, which only
 * ever errs on the side of letting a request through.
 */
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
    // Re-inserting keeps the Map in least-recently-used order, so the first key is the one to evict.
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

  get size(): number {
    return this.buckets.size;
  }
}
