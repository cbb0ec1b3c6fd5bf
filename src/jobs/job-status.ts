/** The Data One job statuses, and every rule about moving between them, in one place. */
export const JobStatus = {
  SUBMITTED: 'SUBMITTED',
  SUSPENDED: 'SUSPENDED',
  RUNNING: 'RUNNING',
  ERROR: 'ERROR',
  ABORTED: 'ABORTED',
  COMPLETED: 'COMPLETED',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];
export const JOB_STATUSES = Object.values(JobStatus);

export const FINISHED_STATUSES: readonly JobStatus[] = ['COMPLETED', 'ERROR', 'ABORTED'];
/** Statuses a job passes through; finished ones only grow. */
export const LIVE_STATUSES: readonly JobStatus[] = ['SUBMITTED', 'SUSPENDED', 'RUNNING'];
/** What each bulk command acts on. */
export const BULK_COMMAND_STATUSES = {
  abort: ['SUBMITTED', 'SUSPENDED', 'RUNNING'],
  restart: ['ERROR', 'ABORTED'],
} as const satisfies Record<string, readonly JobStatus[]>;

export const EXECUTION_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
/** How an execution ended. */
export type ExecutionOutcome = Exclude<ExecutionStatus, 'RUNNING'>;

/** Control commands and the statuses each starts from; RUNNING jobs get an abort request instead (docs/workers.md). */
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

/** Delay before retry `attempt`: exponential, capped, jittered in the upper half so failures do not return as a burst. */
export function retryDelaySeconds(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
  return Math.round((ceiling / 2 + (random() * ceiling) / 2) * 1000) / 1000;
}
