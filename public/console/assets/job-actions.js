// What the console offers a caller to do with jobs; the gateway still decides (a race with another
// admin answers 409). The control commands mirror CONTROL_TRANSITIONS in src/jobs/job-status.ts (a
// unit test keeps them equal); abort also applies to RUNNING, as a request the worker sees at its
// next heartbeat.

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

/** Why `me` (from GET /auth/me) may not submit jobs of `action`, or null: the gateway's own checks, so the form never leads to a 403. */
export function submitRefusal(me, action) {
  if (!me.permissions.includes('WORKFLOW')) return 'Your roles do not grant WORKFLOW: you cannot submit jobs.';
  if (action.allowedRoles.length > 0 && !me.roles.some((role) => action.allowedRoles.includes(role))) {
    return `Only the roles ${action.allowedRoles.join(', ')} may submit this action.`;
  }
  return null;
}
