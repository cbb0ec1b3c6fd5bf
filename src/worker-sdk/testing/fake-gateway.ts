import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ClaimedJob, ClaimRequest, GatewayJob, JobStatus, LogLine } from '../protocol';

export type WorkerCall = 'claim' | 'heartbeat' | 'complete' | 'fail' | 'logs';

export interface RecordedRequest {
  call: WorkerCall;
  jobId?: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

/** `hang` never answers, to exercise the client's timeout. */
export type ScriptedAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

export interface FakeJob {
  id: string;
  queue: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  actionVariables: Record<string, unknown>;
  leaseToken?: string;
  abortRequested: boolean;
  result?: GatewayJob['result'];
  error?: string;
  logs: LogLine[];
}

const CONTEXT_PATH = '/ghibli-rest/v2';
const JOB_CALL = /^\/job-manager\/jobs\/(\d+)\/(heartbeat|complete|fail|logs)$/;

/** The gateway's worker endpoints over real HTTP, jobs in memory; leases expire only through loseLease(). */
export class FakeGateway {
  readonly requests: RecordedRequest[] = [];
  private readonly jobs = new Map<string, FakeJob>();
  private readonly scripted = new Map<WorkerCall, ScriptedAnswer[]>();
  private nextJobId = 1;
  private readonly wakeLongPolls = new Set<() => void>();
  private closed = false;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeGateway> {
    const server = createServer();
    const gateway = new FakeGateway(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void gateway.serve(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return gateway;
  }

  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${CONTEXT_PATH}`;
  }

  addJob(fields: Partial<Pick<FakeJob, 'queue' | 'maxAttempts' | 'actionVariables'>> = {}): FakeJob {
    const job: FakeJob = {
      id: String(this.nextJobId++),
      queue: 'default',
      status: 'SUBMITTED',
      attempts: 0,
      maxAttempts: 3,
      actionVariables: {},
      abortRequested: false,
      logs: [],
      ...fields,
    };
    this.jobs.set(job.id, job);
    this.wakeAll();
    return job;
  }

  job(id: string): FakeJob {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    return job;
  }

  /** The next `call` request gets this answer instead of being served (one per call to this method). */
  answerNext(call: WorkerCall, answer: ScriptedAnswer): void {
    this.scripted.set(call, [...(this.scripted.get(call) ?? []), answer]);
  }

  requestAbort(id: string): void {
    this.job(id).abortRequested = true;
  }

  loseLease(id: string): void {
    this.job(id).leaseToken = randomUUID();
  }

  requestsOf(call: WorkerCall, jobId?: string): RecordedRequest[] {
    return this.requests.filter((request) => request.call === call && (jobId === undefined || request.jobId === jobId));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readJson(request);
    const route = this.route(request);
    if (!route) return send(response, 404, problem(404, 'NOT_FOUND', `no route ${request.method} ${request.url}`));
    this.requests.push({ ...route, body, headers: request.headers });
    const answer = this.scripted.get(route.call)?.shift();
    if (answer === 'hang') return;
    if (answer) return send(response, answer.status, answer.body, answer.headers);
    if (route.call === 'claim') return this.claim(body as unknown as ClaimRequest, response);
    const job = route.jobId === undefined ? undefined : this.jobs.get(route.jobId);
    if (!job) return send(response, 404, problem(404, 'JOB_NOT_FOUND', `no job ${route.jobId}`));
    if (job.status !== 'RUNNING' || job.leaseToken !== body.leaseToken) {
      return send(response, 409, problem(409, 'LEASE_LOST', 'the lease is no longer yours'));
    }
    return this.serveJobCall(route.call, job, body, response);
  }

  private route(request: IncomingMessage): { call: WorkerCall; jobId?: string } | undefined {
    const path = request.url?.startsWith(CONTEXT_PATH) ? request.url.slice(CONTEXT_PATH.length) : '';
    if (request.method !== 'POST') return undefined;
    if (path === '/job-manager/workers/claim') return { call: 'claim' };
    const match = JOB_CALL.exec(path);
    return match ? { call: match[2] as WorkerCall, jobId: match[1] } : undefined;
  }

  private serveJobCall(call: WorkerCall, job: FakeJob, body: Record<string, unknown>, response: ServerResponse) {
    switch (call) {
      case 'heartbeat':
        return send(response, 200, { abortRequested: job.abortRequested, leaseExpiresAt: inAMinute() });
      case 'logs': {
        const lines = body.lines as LogLine[];
        if (lines.length < 1 || lines.length > 100) {
          return send(response, 400, problem(400, 'VALIDATION_FAILED', 'lines: 1 to 100'));
        }
        job.logs.push(...lines);
        return send(response, 200, { appended: lines.length });
      }
      case 'complete':
        Object.assign(job, { status: 'COMPLETED', result: body.result, leaseToken: undefined });
        return send(response, 200, this.withClaimNext(this.jobJson(job), body));
      case 'fail': {
        const status: JobStatus = job.abortRequested
          ? 'ABORTED'
          : body.retryable === true && job.attempts < job.maxAttempts
            ? 'SUBMITTED'
            : 'ERROR';
        Object.assign(job, { status, error: body.error, leaseToken: undefined });
        if (status === 'SUBMITTED') this.wakeAll();
        return send(response, 200, this.withClaimNext(this.jobJson(job), body));
      }
    }
  }

  /** complete and fail with `claimNext` answer the next claim too, as the gateway does. */
  private withClaimNext(job: GatewayJob, body: Record<string, unknown>): GatewayJob & { claimed?: ClaimedJob[] } {
    const next = body.claimNext as { queues: string[]; maxJobs?: number } | undefined;
    return next ? { ...job, claimed: this.ready(next.queues, next.maxJobs ?? 1).map((ready) => this.lease(ready)) } : job;
  }

  private ready(queues: string[], maxJobs: number): FakeJob[] {
    return [...this.jobs.values()].filter((job) => job.status === 'SUBMITTED' && queues.includes(job.queue)).slice(0, maxJobs);
  }

  private async claim(request: ClaimRequest, response: ServerResponse): Promise<void> {
    const deadline = Date.now() + (request.waitSeconds ?? 0) * 1000;
    for (;;) {
      const ready = this.ready(request.queues, request.maxJobs ?? 1);
      if (ready.length > 0 || Date.now() >= deadline || this.closed) {
        return send(response, 200, { jobs: ready.map((job) => this.lease(job)) });
      }
      await this.jobAddedOrTimeout(deadline - Date.now());
      // A worker that gave up waiting must not be handed jobs it will never see.
      if (response.destroyed) return;
    }
  }

  private lease(job: FakeJob): ClaimedJob {
    Object.assign(job, { status: 'RUNNING', attempts: job.attempts + 1, leaseToken: randomUUID() });
    return {
      ...this.jobJson(job),
      lease: { token: job.leaseToken as string, expiresAt: inAMinute() },
      execution: { number: job.attempts },
    };
  }

  /** Every field the generated type asks for, so the fake answers what the document promises. */
  private jobJson(job: FakeJob): GatewayJob {
    const now = new Date().toISOString();
    const workflow = { workflowTemplateId: '1', workflowTemplateName: 'demo', workflowTemplateRevision: '1', workflowTemplateDescription: '' };
    return {
      id: job.id,
      resubmittedFrom: null,
      status: job.status,
      statusMessage: job.status,
      queue: job.queue,
      priority: 0,
      actor: 'demo-actor',
      contract: 'demo-contract',
      contractType: 'INPUT',
      contractAction: 'demo-action',
      contractActionTrigger: 'OnDemand',
      contractActionWorkflowInstance: { id: `wfi-${job.id}`, ...workflow },
      actionVariables: job.actionVariables,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      abortRequested: job.abortRequested,
      name: null,
      description: null,
      extIPID: null,
      tags: [],
      submittedBy: 'demo-submitter',
      dfic: { dfiid: `dfi-${job.id}`, lcid: `lc-${job.id}`, userAttrs: {} },
      progress: null,
      result: job.result ?? null,
      createdAt: now,
      updatedAt: now,
      notBefore: null,
      startedAt: null,
      finishedAt: null,
    };
  }

  private jobAddedOrTimeout(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeLongPolls.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeLongPolls.add(wake);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.wakeLongPolls]) wake();
  }
}

function inAMinute(): string {
  return new Date(Date.now() + 60_000).toISOString();
}

export function problem(status: number, code: string, detail: string) {
  return { type: `urn:test:${code}`, title: code, status, detail, instance: '/test', code };
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (response.destroyed) return;
  const contentType = status >= 400 ? 'application/problem+json' : 'application/json';
  response.writeHead(status, { 'content-type': contentType, ...headers });
  response.end(body === undefined ? '' : JSON.stringify(body));
}

export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
