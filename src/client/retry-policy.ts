import { fullJitterDelayMs, parseRetryAfterMs } from '../worker-sdk';

/** Bounds of one logical call's retries (docs/client.md, "Retry policy"). */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** From the call's start: no wait runs past it, so no attempt starts after it. */
  deadlineMs: number;
  baseDelayMs: number;
  /** Bound of the jittered delay; a Retry-After is honoured up to the deadline. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, deadlineMs: 60_000, baseDelayMs: 250, maxDelayMs: 10_000 };

/** Whether a repeat can do harm, which decides what is retried (docs/client.md, "Retry policy"). */
export type RetryMode = 'idempotent' | 'unprocessed';

/** 429 and 503 are answered before anything changes; 502 and 504 come from a proxy that may have forwarded the request. */
export function isRetryableStatus(status: number, mode: RetryMode): boolean {
  if (status === 429 || status === 503) return true;
  return mode === 'idempotent' && (status === 502 || status === 504);
}

/** A refused connection never reached the gateway; a reset or a timeout may have, after it acted. */
export function isRetryableTransportError(error: unknown, mode: RetryMode): boolean {
  return mode === 'idempotent' || transportErrorCode(error) === 'ECONNREFUSED';
}

/** The gateway's Retry-After when it sent one, else full jitter over an exponential bound. */
export function retryDelayMs(failedAttempts: number, retryAfter: string | null, policy: RetryPolicy, random: () => number, now: number): number {
  return parseRetryAfterMs(retryAfter, now) ?? fullJitterDelayMs(failedAttempts, policy, random);
}

function transportErrorCode(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** undici reports every network failure as "fetch failed"; the useful part is in its cause. */
export function describeTransportError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
