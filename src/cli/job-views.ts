import type { Job, JobEvent, JobStatus } from '../client';
import type { Colors } from './cli-io';

/** Every status, checked complete by the compiler against the generated types. */
const STATUS_PAINT: Record<JobStatus, keyof Colors> = {
  SUBMITTED: 'cyan',
  SUSPENDED: 'magenta',
  RUNNING: 'yellow',
  COMPLETED: 'green',
  ERROR: 'red',
  ABORTED: 'red',
};

export const JOB_STATUSES = Object.keys(STATUS_PAINT) as JobStatus[];

export function paintStatus(status: JobStatus, colors: Colors): string {
  const paint = colors[STATUS_PAINT[status]];
  return typeof paint === 'function' ? paint(status) : status;
}

/** ISO 8601 to the second: the milliseconds only widen a table. */
export function shortTime(iso: string | null): string {
  return iso === null ? '' : iso.replace(/\.\d{3}Z$/, 'Z').replace('T', ' ');
}

export const JOB_HEAD = ['ID', 'STATUS', 'CONTRACT', 'ACTION', 'QUEUE', 'SUBMITTED BY', 'CREATED', 'PROGRESS'];

export function jobRow(job: Job, colors: Colors): string[] {
  const progress = job.progress === null ? '' : `${job.progress}%`;
  return [job.id, paintStatus(job.status, colors), job.contract, job.contractAction, job.queue, job.submittedBy, shortTime(job.createdAt), progress];
}

export function jobPairs(job: Job, colors: Colors): [string, unknown][] {
  return [
    ['id', job.id],
    ['status', paintStatus(job.status, colors)],
    ['statusMessage', job.statusMessage],
    ['progress', job.progress === null ? null : `${job.progress}%`],
    ['contract', `${job.contract} / ${job.contractAction}`],
    ['queue', job.queue],
    ['submittedBy', job.submittedBy],
    ['extIPID', job.extIPID],
    ['attempts', `${job.attempts} of ${job.maxAttempts}`],
    ['createdAt', shortTime(job.createdAt)],
    ['startedAt', shortTime(job.startedAt)],
    ['finishedAt', shortTime(job.finishedAt)],
    ['resubmittedFrom', job.resubmittedFrom],
    ['actionVariables', JSON.stringify(job.actionVariables)],
    ['result', job.result === null ? null : JSON.stringify(job.result)],
  ];
}

export const EVENT_HEAD = ['SEQ', 'AT', 'TYPE', 'ACTOR', 'DATA'];

export function eventRow(event: JobEvent): string[] {
  return [event.seq, shortTime(event.at), event.type, event.actor, JSON.stringify(event.data)];
}
