/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

export interface RetryPolicy {
  baseMs: number;
  maxAttempts: number;
  retryHours: number;
}

/** Full jitter: a uniform wait up to base · 2^(attempts−1), capped (docs/webhooks.md, "Retries"). */
export function retryDelayMs(attempts: number, baseMs: number, random = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.max(1, Math.round(random() * ceiling));
}

/** After a failed attempt: the wait before the next, or undefined when attempts or the retry period are spent. */
export function nextAttemptDelayMs(policy: RetryPolicy, attempts: number, createdAt: Date, now = Date.now(), random = Math.random): number | undefined {
  if (attempts >= policy.maxAttempts) return undefined;
  const delay = retryDelayMs(attempts, policy.baseMs, random);
  return now + delay > createdAt.getTime() + policy.retryHours * 3_600_000 ? undefined : delay;
}
