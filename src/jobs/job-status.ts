/** The Data One job statuses. Transitions between them are decided in one place (issue 7). */
export const JOB_STATUSES = ['SUBMITTED', 'SUSPENDED', 'RUNNING', 'ERROR', 'ABORTED', 'COMPLETED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
