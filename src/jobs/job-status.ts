/** The Data One job statuses, and every rule about moving between them, in one place. */
export const JOB_STATUSES = ['SUBMITTED', 'SUSPENDED', 'RUNNING', 'ERROR', 'ABORTED', 'COMPLETED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const FINISHED_STATUSES: readonly JobStatus[] = ['COMPLETED', 'ERROR', 'ABORTED'];

/**
 * The control operations a caller may ask for, with the statuses each starts from. The database
 * enforces them with conditional updates (`… WHERE status IN (from)`), so of two racing commands
 * exactly one wins. Abort of a RUNNING job is not a transition but a request the worker sees at
 * its next heartbeat (docs/workers.md).
 */
export const CONTROL_TRANSITIONS = {
  abort: { from: ['SUBMITTED', 'SUSPENDED'], to: 'ABORTED' },
  suspend: { from: ['SUBMITTED'], to: 'SUSPENDED' },
  resume: { from: ['SUSPENDED'], to: 'SUBMITTED' },
  restart: { from: ['ERROR', 'ABORTED'], to: 'SUBMITTED' },
} as const satisfies Record<string, { from: readonly JobStatus[]; to: JobStatus }>;
export type ControlCommand = keyof typeof CONTROL_TRANSITIONS;

/** Where a running job goes when its execution fails or its lease runs out. */
export function statusAfterFailure(job: {
  abortRequested: boolean;
  attempts: number;
  maxAttempts: number;
  retryable: boolean;
}): 'SUBMITTED' | 'ERROR' | 'ABORTED' {
  if (job.abortRequested) return 'ABORTED';
  return job.retryable && job.attempts < job.maxAttempts ? 'SUBMITTED' : 'ERROR';
}

const BACKOFF_BASE_SECONDS = 2;
const BACKOFF_CAP_SECONDS = 300;

/**
 * Delay before retry `attempt` (1 = after the first failure): exponential, capped, with jitter
 * in the upper half so a burst of failures does not come back as a burst of retries.
 */
export function retryDelaySeconds(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
  return Math.round((ceiling / 2 + (random() * ceiling) / 2) * 1000) / 1000;
}
