import createClient from 'openapi-fetch';
import type { paths } from '../../src/api-types';

/**
 * A tour of the gateway through a client generated from docs/openapi.json: openapi-typescript turned the
 * document into `paths`, openapi-fetch turns `paths` into typed calls. Nothing here is written by hand that the
 * document already says: request bodies, answers, problem codes and statuses are all checked by the compiler.
 */
export interface TourOptions {
  /** Up to and including the context path, e.g. http://127.0.0.1:8080/ghibli-rest/v2 */
  baseUrl: string;
  /** Someone who may submit and control jobs of the contract (WORKFLOW). */
  submitterHeaders: Record<string, string>;
  /** Someone holding the WORKER permission, e.g. an API key with the Workers role. */
  workerHeaders: Record<string, string>;
  /** The action's queue should be the tour's own: the worker part claims the next job of that queue. */
  contractName: string;
  actionName: string;
  actionVariables: Record<string, unknown>;
  /** Tells submissions of this run from earlier ones (extIPID is the idempotency key). */
  runId: string;
  log?: (line: string) => void;
}

export interface TourReport {
  jobId: string;
  replayedJobId: string;
  /** The replay's Idempotent-Replayed header. */
  replayedHeader: string | null;
  listedPages: number;
  controlled: string[];
  completed: { status: string; result: unknown };
  notFound: { status: number; code: string };
}

export async function runGatewayTour(options: TourOptions): Promise<TourReport> {
  const log = options.log ?? (() => undefined);
  const api = createClient<paths>({ baseUrl: options.baseUrl, headers: options.submitterHeaders });
  const worker = createClient<paths>({ baseUrl: options.baseUrl, headers: options.workerHeaders });
  const submission = {
    contractName: options.contractName,
    actionName: options.actionName,
    actionVariables: options.actionVariables,
    extIPID: `${options.runId}-first`,
  };

  // Submit: 201 and the new job.
  const submitted = await api.POST('/job-manager/jobs', { body: submission });
  // A 2xx is the new job (201) or, with ?validateOnly=true only, a submission check (200).
  if (!submitted.data || !('id' in submitted.data)) throw refused('submit', submitted.response, submitted.error);
  const job = submitted.data;
  log(`submitted job ${job.id} (${job.status}), Location: ${submitted.response.headers.get('Location')}`);

  // Submit again with the same extIPID: 409 answers the same job, so a retry can never make a second one.
  const replay = await api.POST('/job-manager/jobs', { body: submission });
  if (replay.response.status !== 409 || !replay.error || !('id' in replay.error)) {
    throw refused('replay', replay.response, replay.error);
  }
  const replayedJobId = replay.error.id;
  const replayedHeader = replay.response.headers.get('Idempotent-Replayed');
  log(`replayed: job ${replayedJobId}, Idempotent-Replayed: ${replayedHeader}`);

  // A second job, to abort below and to give the listing a second page.
  const other = await api.POST('/job-manager/jobs', { body: { ...submission, extIPID: `${options.runId}-second` } });
  if (!other.data || !('id' in other.data)) throw refused('submit', other.response, other.error);
  const otherId = other.data.id;

  // List newest first, one job per page to show paging: `next` carries the cursor of the following page.
  const wanted = new Set([job.id, otherId]);
  let cursor: string | undefined;
  let listedPages = 0;
  do {
    const query = { contract: options.contractName, sort: '-id', maxItems: 1, ...(cursor === undefined ? {} : { cursor }) };
    const page = await api.GET('/job-manager/jobs', { params: { query } });
    if (!page.data) throw refused('list', page.response, page.error);
    listedPages++;
    for (const listed of page.data.jobs) wanted.delete(listed.id);
    cursor = page.data.next === undefined ? undefined : cursorOf(page.data.next);
  } while (cursor !== undefined && wanted.size > 0);
  if (wanted.size > 0) throw new Error(`list: jobs ${[...wanted].join(', ')} not found in ${listedPages} pages`);
  log(`listed both jobs in ${listedPages} pages`);

  // Read one job.
  const read = await api.GET('/job-manager/jobs/{id}', { params: { path: { id: job.id } } });
  if (!read.data) throw refused('read', read.response, read.error);
  log(`job ${read.data.id} is ${read.data.status} in queue ${read.data.queue}`);

  // Control: suspend and resume the first job, abort the second.
  const id = { params: { path: { id: job.id } } };
  const suspended = await api.POST('/job-manager/jobs/{id}/suspend', id);
  if (!suspended.data) throw refused('suspend', suspended.response, suspended.error);
  const resumed = await api.POST('/job-manager/jobs/{id}/resume', id);
  if (!resumed.data) throw refused('resume', resumed.response, resumed.error);
  const aborted = await api.POST('/job-manager/jobs/{id}/abort', { params: { path: { id: otherId } } });
  if (!aborted.data) throw refused('abort', aborted.response, aborted.error);
  const controlled = [suspended.data.status, resumed.data.status, aborted.data.status];
  log(`suspended, resumed, aborted: ${controlled.join(', ')}`);

  // The worker side: claim, heartbeat, complete with a result.
  const claim = await worker.POST('/job-manager/workers/claim', {
    body: { workerId: `tour-${options.runId}`, queues: [read.data.queue], maxJobs: 1, leaseSeconds: 30 },
  });
  if (!claim.data) throw refused('claim', claim.response, claim.error);
  const claimed = claim.data.jobs[0];
  if (claimed === undefined || claimed.id !== job.id) {
    throw new Error(`claim: expected job ${job.id}, got ${claimed?.id ?? 'none'}; give the tour a queue of its own`);
  }
  const leaseToken = claimed.lease.token;
  const path = { params: { path: { id: claimed.id } } };
  const beat = await worker.POST('/job-manager/jobs/{id}/heartbeat', { ...path, body: { leaseToken, progress: 50, message: 'half way' } });
  if (!beat.data) throw refused('heartbeat', beat.response, beat.error);
  if (beat.data.abortRequested) throw new Error('heartbeat: an abort was requested');
  const done = await worker.POST('/job-manager/jobs/{id}/complete', { ...path, body: { leaseToken, result: { rows: 3 } } });
  if (!done.data) throw refused('complete', done.response, done.error);
  log(`execution ${claimed.execution.number} of job ${done.data.id}: ${done.data.status}, result ${JSON.stringify(done.data.result)}`);

  // A problem: every error answer is application/problem+json with a stable `code` to branch on.
  const missing = await api.GET('/job-manager/jobs/{id}', { params: { path: { id: '999999999999' } } });
  if (!missing.error || missing.error.code !== 'JOB_NOT_FOUND') throw refused('read a missing job', missing.response, missing.error);
  log(`missing job: ${missing.response.status} ${missing.error.code} (${missing.error.detail})`);

  return {
    jobId: job.id,
    replayedJobId,
    replayedHeader,
    listedPages,
    controlled,
    completed: { status: done.data.status, result: done.data.result },
    notFound: { status: missing.response.status, code: missing.error.code },
  };
}

/** The cursor of a `next` link (a path with a query string), for the typed call of the next page. */
function cursorOf(next: string): string | undefined {
  return new URL(next, 'http://gateway.invalid').searchParams.get('cursor') ?? undefined;
}

function refused(step: string, response: Response, body: unknown): Error {
  return new Error(`${step}: unexpected answer ${response.status} ${JSON.stringify(body)}`);
}
