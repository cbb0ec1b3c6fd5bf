import { GatewayProblemError, GatewayUnavailableError, UnexpectedResponseError } from './errors';
import { describeTransportError, isRetryableStatus, isRetryableTransportError, RetryMode, RetryPolicy, retryDelayMs } from './retry-policy';
import type { ProblemDetails } from './wire-types';

export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  baseUrl: string;
  headers: Record<string, string>;
  fetch: FetchFunction;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  random: () => number;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Below the base URL, query string included. */
  path: string;
  body?: unknown;
  mode: RetryMode;
  /** Per attempt; a long-poll passes its wait plus a margin. */
  timeoutMs?: number;
  /** Statuses besides 2xx that carry the answer (409 of a replayed submission). */
  alsoAccept?: number[];
  signal?: AbortSignal;
}

export interface HttpAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

type Attempt<T> = { answer: HttpAnswer<T> } | { retryable: boolean; error: unknown; retryAfter: string | null };

/** One logical call: attempts, waits and the deadline of its RetryPolicy (docs/client.md, "Retry policy"). */
export class HttpTransport {
  constructor(private readonly options: TransportOptions) {}

  async send<T>(request: HttpRequest): Promise<HttpAnswer<T>> {
    const { retry, now, random, sleep } = this.options;
    const deadline = now() + retry.deadlineMs;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt<T>(request);
      if ('answer' in outcome) return outcome.answer;
      if (!outcome.retryable) throw outcome.error;
      const delayMs = retryDelayMs(attempt, outcome.retryAfter, retry, random, now());
      if (attempt >= retry.maxAttempts || now() + delayMs > deadline) {
        throw new GatewayUnavailableError(`${request.method} ${request.path}: gave up after ${attempt} attempt(s): ${describe(outcome.error)}`, attempt, outcome.error);
      }
      await sleep(delayMs, request.signal);
    }
  }

  private async attempt<T>(request: HttpRequest): Promise<Attempt<T>> {
    request.signal?.throwIfAborted();
    const timeoutMs = request.timeoutMs ?? this.options.requestTimeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const forwardAbort = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', forwardAbort, { once: true });
    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(this.options.baseUrl + request.path, {
        method: request.method,
        headers: { ...this.options.headers, accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (caught) {
      if (request.signal?.aborted) throw request.signal.reason;
      const error = controller.signal.aborted ? controller.signal.reason : caught;
      return { retryable: isRetryableTransportError(caught, request.mode), error, retryAfter: null };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', forwardAbort);
    }
    return readAttempt<T>(request, response, text);
  }
}

function readAttempt<T>(request: HttpRequest, response: Response, text: string): Attempt<T> {
  const body = parseJson(text);
  if (response.ok || request.alsoAccept?.includes(response.status)) {
    if (body === undefined) throw new UnexpectedResponseError(response.status, `${request.method} ${request.path}: ${response.status} without a JSON body`);
    return { answer: { status: response.status, headers: response.headers, body: body as T } };
  }
  const problem = isObject(body) ? (body as ProblemDetails) : undefined;
  const error = new GatewayProblemError(response.status, problem, text.slice(0, 200) || response.statusText);
  return { retryable: isRetryableStatus(response.status, request.mode), error, retryAfter: response.headers.get('retry-after') };
}

function describe(error: unknown): string {
  return error instanceof GatewayProblemError ? error.message : describeTransportError(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
