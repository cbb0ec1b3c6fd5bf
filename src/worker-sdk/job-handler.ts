import { ClaimedJob, LogLevel } from './protocol';

export interface JobContext {
  readonly job: ClaimedJob;
  /** Aborted on an abort request, a lost lease or the end of stop()'s grace period: pass it on. */
  readonly signal: AbortSignal;
  /** Percent done (0-100). Sent with the next heartbeat; only the latest call counts. */
  progress(percent: number, message?: string): void;
  /** Stored with the job on the gateway. Buffered and sent in batches, always before the outcome. */
  log(message: string, level?: LogLevel): void;
}

/** Resolves to the result or throws to fail; may run more than once, so key side effects by `job.id` (README.md). */
export type JobHandler = (job: ClaimedJob, context: JobContext) => Promise<unknown>;
