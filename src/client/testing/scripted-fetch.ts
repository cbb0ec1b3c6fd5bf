import type { FetchFunction } from '../http-transport';

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** One scripted answer: a Response, an error to throw, or 'hang' (until the attempt's timeout aborts it). */
export type Scripted = Response | Error | 'hang' | ((request: RecordedRequest) => Response);

/** A fetch that answers from a script and records every request, so retry tests need no server. */
export function scriptedFetch(...script: Scripted[]) {
  const requests: RecordedRequest[] = [];
  const fetch: FetchFunction = async (url, init) => {
    const request: RecordedRequest = {
      url,
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const next = script.shift();
    if (next === undefined) throw new Error(`unscripted request ${request.method} ${url}`);
    if (next === 'hang') {
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    }
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next(request) : next;
  };
  return { fetch, requests };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function problem(status: number, code: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  const body = { type: `urn:test:${code}`, title: code, status, detail: `${code} detail`, instance: '/x', code, ...extra };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json', ...headers } });
}

/** What undici throws when the connection drops after the request went out (the gateway may have acted). */
export function connectionReset(): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
}

export function connectionRefused(): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
}

/** A job as far as the client reads it. */
export function jobBody(overrides: Record<string, unknown> = {}) {
  return { id: '7', status: 'SUBMITTED', progress: null, extIPID: 'x', ...overrides };
}

/** A clock that only moves when the client sleeps, recording each wait. */
export function fakeClock() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}
