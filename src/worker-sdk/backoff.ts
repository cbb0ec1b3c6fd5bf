export interface BackoffPolicy {
  baseDelayMs: number;
  /** No delay exceeds this, and a Retry-After asking for longer is not waited for. */
  maxDelayMs: number;
}

/** Uniform up to baseDelayMs × 2^(n−1), so workers that failed together do not return together. */
export function fullJitterDelayMs(failedAttempts: number, policy: BackoffPolicy, random: () => number = Math.random) {
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.floor(random() * bound);
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
