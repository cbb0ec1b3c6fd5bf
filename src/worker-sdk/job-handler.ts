import { ClaimedJob, LogLevel } from './protocol';

export interface JobContext {
  readonly job: ClaimedJob;
  /**
   * Aborted when the job must stop: an abort was requested, the lease was lost, or the worker is
   * stopping and its grace period ran out. Pass it on to fetch, timers, streams…
   */
  readonly signal: AbortSignal;
  /** Percent done (0-100). Sent with the next heartbeat; only the latest call counts. */
  progress(percent: number, message?: string): void;
  /** Stored with the job on the gateway. Buffered and sent in batches, always before the outcome. */
  log(message: string, level?: LogLevel): void;
}

/**
 * Does the work of one job. Its value becomes the job's result; throwing fails the job, which the
 * gateway retries while attempts remain unless the error says `retryable === false`.
 *
 * A job may run more than once (a crashed worker, a lost lease): use `job.id` as the idempotency
 * key of whatever the handler changes.
 */
export type JobHandler = (job: ClaimedJob, context: JobContext) => Promise<unknown>;
