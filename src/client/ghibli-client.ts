import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { paths } from '../api-types';
import { WaitTimeoutError } from './errors';
import { FetchFunction, HttpRequest, HttpTransport } from './http-transport';
import { DEFAULT_RETRY_POLICY, RetryPolicy } from './retry-policy';
import {
  Contract,
  FINAL_STATUSES,
  Job,
  JobEvent,
  JobEventPage,
  JobListPage,
  ListJobsQuery,
  Queue,
  Readiness,
  ResubmitRequest,
  SubmitRequest,
} from './wire-types';

export type Credentials = { token: string } | { apiKey: string } | { username: string; password: string };

export interface GhibliClientOptions {
  /** Up to and including the context path, e.g. http://localhost:8080/ghibli-rest/v2 */
  baseUrl: string;
  auth?: Credentials;
  headers?: Record<string, string>;
  /** Defaults to the global fetch; tests inject one. */
  fetch?: FetchFunction;
  retry?: Partial<RetryPolicy>;
  /** Per attempt, reading the answer included (default 30 s); long-polls get their wait plus 5 s. */
  requestTimeoutMs?: number;
  /** Clock, sleep and randomness of the retries, for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface SubmitResult {
  job: Job;
  /** 409: the extIPID had been used, the answer is the job that holds it (docs/idempotency.md). */
  replayed: boolean;
  /** The replayed job was submitted with other actionVariables (`Idempotency-Mismatch`): it is unchanged. */
  mismatch: boolean;
}

export interface WaitOptions {
  /** Gives up with a WaitTimeoutError after this long; without it, waits until the job ends. */
  timeoutMs?: number;
  /** Length of each long-poll, 1–60 (default 30); shorter means more frequent progress. */
  pollSeconds?: number;
  /** Called with every answer, so a caller can show `progress` and `status`. */
  onProgress?: (job: Job) => void;
  signal?: AbortSignal;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** A long-poll legitimately stays silent for its wait; only silence beyond that is a timeout (docs/events.md). */
const LONG_POLL_MARGIN_MS = 5_000;
const JOBS = '/job-manager/jobs' satisfies keyof paths;
/** The routes of one job, checked against the generated paths so a moved route fails the build. */
type JobRoute = Extract<keyof paths, `${typeof JOBS}/{id}${string}`>;

/** The submitter's client of the gateway: every call retried safely (docs/client.md). */
export class GhibliClient {
  private readonly transport: HttpTransport;

  constructor(options: GhibliClientOptions) {
    this.transport = new HttpTransport({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: { ...options.headers, ...authHeaders(options.auth) },
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      sleep: options.sleep ?? sleepUnlessAborted,
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
    });
  }

  /** 201 and 409 both succeed; one extIPID per call (made here when absent) keeps every retry on the same job. */
  async submit(request: SubmitRequest, options: CallOptions = {}): Promise<SubmitResult> {
    const body = { ...request, extIPID: request.extIPID ?? randomUUID() };
    return this.submitted(await this.call<Job>({ method: 'POST', path: JOBS, body, alsoAccept: [409], ...options }));
  }

  /** A new job from job `id`'s action and variables, overridden by `actionVariables`; retried like submit. */
  async resubmit(id: string, request: ResubmitRequest = {}, options: CallOptions = {}): Promise<SubmitResult> {
    const body = { ...request, extIPID: request.extIPID ?? randomUUID() };
    return this.submitted(await this.call<Job>({ method: 'POST', path: jobPath(id, '/job-manager/jobs/{id}/resubmit'), body, alsoAccept: [409], ...options }));
  }

  async get(id: string, options: CallOptions = {}): Promise<Job> {
    return (await this.call<Job>({ method: 'GET', path: jobPath(id), ...options })).body;
  }

  /** Long-polls `?waitSeconds=` until the job is COMPLETED, ERROR or ABORTED, and answers it. */
  async waitFor(id: string, options: WaitOptions = {}): Promise<Job> {
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    const pollSeconds = Math.min(60, Math.max(1, Math.floor(options.pollSeconds ?? 30)));
    for (;;) {
      const waitSeconds = Math.max(0, Math.min(pollSeconds, Math.ceil((deadline - Date.now()) / 1000)));
      const path = `${jobPath(id)}?waitSeconds=${waitSeconds}`;
      const { body: job } = await this.call<Job>({ method: 'GET', path, timeoutMs: waitSeconds * 1000 + LONG_POLL_MARGIN_MS, signal: options.signal });
      options.onProgress?.(job);
      if (FINAL_STATUSES.has(job.status)) return job;
      if (Date.now() >= deadline) throw new WaitTimeoutError(job);
    }
  }

  /** Every job matching `query`, page after page, following `next` (docs/api.md, "Listing jobs"). */
  list(query: ListJobsQuery = {}, options: CallOptions = {}): AsyncGenerator<Job> {
    return this.pages<JobListPage, Job>(`${JOBS}${toSearch(query)}`, (page) => page.jobs, options);
  }

  /** The job's timeline, oldest first (docs/events.md, "The timeline"). */
  events(id: string, options: CallOptions = {}): AsyncGenerator<JobEvent> {
    return this.pages<JobEventPage, JobEvent>(jobPath(id, '/job-manager/jobs/{id}/events'), (page) => page.events, options);
  }

  abort(id: string, options: CallOptions = {}): Promise<Job> {
    return this.command(id, 'abort', options);
  }

  suspend(id: string, options: CallOptions = {}): Promise<Job> {
    return this.command(id, 'suspend', options);
  }

  resume(id: string, options: CallOptions = {}): Promise<Job> {
    return this.command(id, 'resume', options);
  }

  restart(id: string, options: CallOptions = {}): Promise<Job> {
    return this.command(id, 'restart', options);
  }

  async contracts(options: CallOptions = {}): Promise<Contract[]> {
    const contracts: Contract[] = [];
    for await (const contract of this.pages<{ contracts: Contract[]; next?: string }, Contract>('/contracts' satisfies keyof paths, (page) => page.contracts, options)) {
      contracts.push(contract);
    }
    return contracts;
  }

  async queues(options: CallOptions = {}): Promise<Queue[]> {
    return (await this.call<{ queues: Queue[] }>({ method: 'GET', path: '/job-manager/queues' satisfies keyof paths, ...options })).body.queues;
  }

  /** Readiness: the gateway serves and reaches its database; a 503 is retried, then a GatewayUnavailableError. */
  async health(options: CallOptions = {}): Promise<Readiness> {
    return (await this.call<Readiness>({ method: 'GET', path: '/health/ready' satisfies keyof paths, ...options })).body;
  }

  /** Only a failure that proves nothing happened is retried: a repeated command could answer ILLEGAL_TRANSITION. */
  private async command(id: string, name: 'abort' | 'suspend' | 'resume' | 'restart', options: CallOptions): Promise<Job> {
    return (await this.call<Job>({ method: 'POST', path: jobPath(id, `/job-manager/jobs/{id}/${name}`), mode: 'unprocessed', ...options })).body;
  }

  private async *pages<Page extends { next?: string }, Item>(first: string, items: (page: Page) => Item[], options: CallOptions): AsyncGenerator<Item> {
    const [path] = first.split('?');
    for (let url: string | undefined = first; url !== undefined; ) {
      const { body: page }: { body: Page } = await this.call<Page>({ method: 'GET', path: url, ...options });
      yield* items(page);
      // `next` is absolute from the gateway's context path; keep our base URL, which may sit behind a proxy.
      url = page.next === undefined ? undefined : `${path}${new URL(page.next, 'http://next.invalid').search}`;
    }
  }

  private call<T>(request: Omit<HttpRequest, 'mode'> & { mode?: HttpRequest['mode'] }) {
    return this.transport.send<T>({ mode: 'idempotent', ...request });
  }

  private submitted(answer: { status: number; headers: Headers; body: Job }): SubmitResult {
    return { job: answer.body, replayed: answer.status === 409, mismatch: answer.headers.get('idempotency-mismatch') !== null };
  }
}

/** Rejects with the signal's reason, as an aborted attempt does, rather than a generic AbortError. */
async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch((error: unknown) => {
    throw signal?.aborted ? signal.reason : error;
  });
}

function authHeaders(auth: Credentials | undefined): Record<string, string> {
  if (!auth) return {};
  if ('token' in auth) return { authorization: `Bearer ${auth.token}` };
  if ('apiKey' in auth) return { 'x-api-key': auth.apiKey };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}

function jobPath(id: string, route: JobRoute = '/job-manager/jobs/{id}') {
  return route.replace('{id}', encodeURIComponent(id));
}

function toSearch(query: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const search = params.toString();
  return search ? `?${search}` : '';
}
