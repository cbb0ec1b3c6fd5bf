import { setTimeout as sleep } from 'node:timers/promises';
import { BackoffPolicy, fullJitterDelayMs, parseRetryAfterMs } from './backoff';
import { GatewayError, GatewayUnreachableError, LeaseLostError, ProblemDetails } from './errors';
import {
  AppendLogsRequest,
  AppendLogsResponse,
  ClaimRequest,
  ClaimResponse,
  CompleteRequest,
  FailRequest,
  EndedJob,
  HeartbeatRequest,
  HeartbeatResponse,
} from './protocol';

export interface GatewayClientOptions {
  /** Up to and including the context path, e.g. http://127.0.0.1:8080/ghibli-rest/v2 */
  baseUrl: string;
  headers?: Record<string, string>;
  maxAttempts?: number;
  /** Per attempt, reading the answer included (default 15 s). Claims get waitSeconds + 10 s instead. */
  requestTimeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
}

export interface CallOptions {
  /** Cancels the call, waits between attempts included; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A long-poll legitimately stays silent for waitSeconds; only silence beyond that is a timeout. */
const CLAIM_TIMEOUT_MARGIN_MS = 10_000;

type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; error: Error; retryAfterMs?: number };

/** Retries transport errors, timeouts, 429 and 5xx; a retried call may land twice (docs/workers.md, "The worker client"). */
export class GatewayClient {
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly maxAttempts: number;
  private readonly requestTimeoutMs: number;
  private readonly backoff: BackoffPolicy;

  constructor(options: GatewayClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.headers = options.headers ?? {};
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.backoff = { baseDelayMs: 250, maxDelayMs: 30_000, ...options.backoff };
  }

  claim(request: ClaimRequest, options: CallOptions = {}): Promise<ClaimResponse> {
    // Left out, the gateway does not wait (its default waitSeconds is 0).
    const timeoutMs = (request.waitSeconds ?? 0) * 1000 + CLAIM_TIMEOUT_MARGIN_MS;
    return this.post('/job-manager/workers/claim', request, timeoutMs, options.signal);
  }

  heartbeat(jobId: string, request: HeartbeatRequest, options: CallOptions = {}): Promise<HeartbeatResponse> {
    return this.post(`${jobPath(jobId)}/heartbeat`, request, this.requestTimeoutMs, options.signal);
  }

  complete(jobId: string, request: CompleteRequest, options: CallOptions = {}): Promise<EndedJob> {
    return this.post(`${jobPath(jobId)}/complete`, request, this.requestTimeoutMs, options.signal);
  }

  fail(jobId: string, request: FailRequest, options: CallOptions = {}): Promise<EndedJob> {
    return this.post(`${jobPath(jobId)}/fail`, request, this.requestTimeoutMs, options.signal);
  }

  appendLogs(jobId: string, request: AppendLogsRequest, options: CallOptions = {}): Promise<AppendLogsResponse> {
    return this.post(`${jobPath(jobId)}/logs`, request, this.requestTimeoutMs, options.signal);
  }

  private async post<T>(path: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt<T>(path, body, timeoutMs, signal);
      if (outcome.ok) return outcome.value;
      const delayMs = outcome.retryAfterMs ?? fullJitterDelayMs(attempt, this.backoff);
      if (attempt >= this.maxAttempts || delayMs > this.backoff.maxDelayMs) throw outcome.error;
      await sleep(delayMs, undefined, { signal });
    }
  }

  private async attempt<T>(path: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<AttemptOutcome<T>> {
    signal?.throwIfAborted();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const forwardAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.baseUrl + path, {
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      const unreachable = new GatewayUnreachableError(`POST ${path}: ${describeTransportError(reason)}`, {
        cause: reason,
      });
      return { ok: false, error: unreachable };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forwardAbort);
    }
    return readOutcome<T>(response, text);
  }
}

function jobPath(jobId: string) {
  return `/job-manager/jobs/${encodeURIComponent(jobId)}`;
}

function readOutcome<T>(response: Response, text: string): AttemptOutcome<T> {
  const parsed = parseJson(text);
  if (response.ok) {
    if (parsed === undefined) {
      throw new GatewayError(response.status, 'INVALID_RESPONSE', 'the gateway answered with a body that is not JSON');
    }
    return { ok: true, value: parsed as T };
  }
  const error = toGatewayError(response, text, parsed as ProblemDetails | undefined);
  if (response.status !== 429 && response.status < 500) throw error;
  return { ok: false, error, retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')) };
}

function toGatewayError(response: Response, text: string, problem: ProblemDetails | undefined): GatewayError {
  const code = typeof problem?.code === 'string' ? problem.code : `HTTP_${response.status}`;
  const detail = problem?.detail ?? problem?.title ?? (text.slice(0, 200) || response.statusText);
  return response.status === 409 && code === 'LEASE_LOST'
    ? new LeaseLostError(response.status, code, detail, problem)
    : new GatewayError(response.status, code, detail, problem);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** undici reports every network failure as "fetch failed"; the useful part is in its cause. */
function describeTransportError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
