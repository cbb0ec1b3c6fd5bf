// The control commands a job's status allows. Mirrors CONTROL_TRANSITIONS in src/jobs/job-status.ts
// (a unit test keeps them equal); abort also applies to RUNNING, as a request the worker sees at its
// next heartbeat. The gateway still decides: a race with another admin answers 409.

export const CONTROL_COMMANDS = {
  suspend: { from: ['SUBMITTED'], label: 'Suspend', done: 'Job suspended.' },
  resume: { from: ['SUSPENDED'], label: 'Resume', done: 'Job resumed.' },
  abort: { from: ['SUBMITTED', 'SUSPENDED'], label: 'Abort', done: 'Job aborted.' },
  restart: { from: ['ERROR', 'ABORTED'], label: 'Restart', done: 'Job restarted: it waits for a worker again.' },
};

/** The commands shown for a job to a caller holding `permissions` (from GET /auth/me). */
export function allowedCommands(job, permissions) {
  if (!permissions.includes('WORKFLOW')) return [];
  return Object.keys(CONTROL_COMMANDS).filter(
    (command) =>
      CONTROL_COMMANDS[command].from.includes(job.status) ||
      (command === 'abort' && job.status === 'RUNNING' && !job.abortRequested),
  );
}
