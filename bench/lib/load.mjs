// In-process closed-loop HTTP load generator: `concurrency` workers, each sending its next request
// as soon as the previous one has completed, over a keep-alive agent with one socket per worker.
import http from 'node:http';
import process from 'node:process';

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function assertLoopback(url) {
  if (url.protocol !== 'http:') throw new Error(`runLoad: only http: is supported, got ${url.protocol}`);
  if (!LOOPBACK_HOSTS.has(url.hostname) && !/^127\.\d+\.\d+\.\d+$/.test(url.hostname)) {
    throw new Error(`runLoad: refusing to load a non-loopback host (${url.hostname})`);
  }
}

/** Nearest-rank percentile of an ascending array; `p` in (0, 1]. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const round = (value, digits) => (value === null ? null : Number(value.toFixed(digits)));

function encodeBody(body) {
  if (body === undefined || body === null) return { payload: null, json: false };
  if (typeof body === 'string' || Buffer.isBuffer(body)) return { payload: body, json: false };
  return { payload: JSON.stringify(body), json: true };
}

/**
 * Sends requests until `durationMs` elapses or `maxRequests` have been issued, whichever is first.
 * At `durationMs` requests still in flight are destroyed and counted in `aborted`, not in `requests`.
 *
 * @param {object} options
 * @param {string} options.url base URL (loopback only), e.g. http://127.0.0.1:3000
 * @param {number} options.concurrency workers, and the agent's maxSockets
 * @param {number} options.durationMs hard stop
 * @param {number} [options.maxRequests=Infinity]
 * @param {boolean} [options.bursts=false] fire in bursts of `concurrency` requests: every worker waits until
 *   the whole burst has answered before the next one starts, so request i belongs to burst
 *   floor(i / concurrency) and a burst's requests reach the server together
 * @param {(i: number) => {method?: string, path: string, headers?: object, body?: string|Buffer|object}} options.makeRequest
 *   called once per request with a 0-based sequence number; an object body is sent as JSON
 * @returns {Promise<{requests: number, rps: number, p50Ms: number|null, p99Ms: number|null, maxMs: number|null,
 *   statusCounts: Record<string, number>, errors: number, errorCodes: Record<string, number>, aborted: number,
 *   elapsedMs: number}>}
 */
export async function runLoad({ url, concurrency, durationMs, maxRequests = Infinity, bursts = false, makeRequest }) {
  const base = new URL(url);
  assertLoopback(base);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('runLoad: concurrency must be a positive integer');
  if (!(durationMs > 0)) throw new Error('runLoad: durationMs must be positive');
  if (typeof makeRequest !== 'function') throw new Error('runLoad: makeRequest is required');

  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs = [];
  const statusCounts = {};
  const errorCodes = {};
  const inFlight = new Set();
  let issued = 0;
  let errors = 0;
  let aborted = 0;
  let stopped = false;
  let fatal = null;

  const newBurst = () => {
    let release;
    const answered = new Promise((resolve) => {
      release = resolve;
    });
    return { waiting: 0, answered, release };
  };
  let burst = newBurst();
  async function endOfBurst() {
    const current = burst;
    current.waiting++;
    if (current.waiting === concurrency) {
      burst = newBurst();
      current.release();
    } else {
      await current.answered;
    }
  }

  const stop = () => {
    if (stopped) return;
    stopped = true;
    burst.release();
    for (const entry of inFlight) {
      entry.abortedByStop = true;
      entry.req.destroy();
    }
  };

  function send(spec) {
    const { payload, json } = encodeBody(spec.body);
    const headers = { ...spec.headers };
    if (json && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    if (payload !== null) headers['content-length'] = Buffer.byteLength(payload);

    const entry = { req: null, abortedByStop: false };
    const done = new Promise((resolve, reject) => {
      const req = http.request(
        { protocol: base.protocol, hostname: base.hostname, port: base.port, agent, method: spec.method ?? 'GET', path: spec.path, headers },
        (res) => {
          res.on('error', reject);
          res.on('end', () => resolve(res.statusCode));
          res.on('close', () => { if (!res.complete) reject(new Error('response closed before it completed')); });
          res.resume();
        },
      );
      req.on('error', reject);
      entry.req = req;
      req.end(payload ?? undefined);
    });
    inFlight.add(entry);
    return done.finally(() => inFlight.delete(entry)).catch((err) => {
      err.abortedByStop = entry.abortedByStop;
      throw err;
    });
  }

  async function worker() {
    while (!stopped && issued < maxRequests) {
      const i = issued++;
      let spec;
      try {
        spec = makeRequest(i);
      } catch (err) {
        fatal ??= err;
        stop();
        return;
      }
      const started = process.hrtime.bigint();
      try {
        const status = await send(spec);
        latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
        statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      } catch (err) {
        if (err.abortedByStop) {
          aborted++;
        } else {
          errors++;
          const code = err.code ?? err.message;
          errorCodes[code] = (errorCodes[code] ?? 0) + 1;
        }
      }
      if (bursts) await endOfBurst();
    }
    // The others must not wait for a burst this worker will never join.
    burst.release();
  }

  const startedAt = process.hrtime.bigint();
  const timer = setTimeout(stop, durationMs);
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    clearTimeout(timer);
    stopped = true;
    agent.destroy();
  }
  if (fatal) throw fatal;

  const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  latenciesMs.sort((a, b) => a - b);
  return {
    requests: latenciesMs.length,
    rps: round((latenciesMs.length * 1000) / elapsedMs, 1),
    p50Ms: round(percentile(latenciesMs, 0.5), 3),
    p99Ms: round(percentile(latenciesMs, 0.99), 3),
    maxMs: round(latenciesMs.at(-1) ?? null, 3),
    statusCounts,
    errors,
    errorCodes,
    aborted,
    elapsedMs: round(elapsedMs, 1),
  };
}
