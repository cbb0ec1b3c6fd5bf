// Start the built gateway (dist/main.js) as a real process with a production-like configuration,
// and give the bench an API key created through the admin API, as an operator would.
import { randomBytes } from 'node:crypto';
import { openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startProcess } from './process.mjs';

export const CONTEXT_PATH = '/ghibli-rest/v2';
export const JOBS_PATH = `${CONTEXT_PATH}/job-manager/jobs`;
const GATEWAY_SCRIPT = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

/** A port nobody listens on right now (the gateway's own PORT=0 would hide it in a log we do not read). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseUrl, deadline, child) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${baseUrl}${CONTEXT_PATH}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gateway not ready within ${READY_TIMEOUT_MS} ms`);
}

async function createApiKey(baseUrl, adminPassword) {
  const res = await fetch(`${baseUrl}${CONTEXT_PATH}/admin/api-keys`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ principal: 'bench', roles: ['Administrators'], description: 'benchmark' }),
  });
  if (res.status !== 201) throw new Error(`creating the bench API key answered ${res.status}: ${await res.text()}`);
  return (await res.json()).key;
}

/**
 * BENCH_GATEWAY_NODE_ARGS: Node flags for every gateway of the run (e.g. `--max-old-space-size=192`);
 * BENCH_CPU_PROF_DIR: every gateway writes a --cpu-prof profile there when it stops.
 */
function gatewayNodeArgs() {
  const flags = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? [...flags, '--cpu-prof', `--cpu-prof-dir=${dir}`] : flags;
}

/**
 * @param {object} options
 * @param {string} options.databaseUrl sqlite:<file> or mysql://…
 * @param {string} options.logFile where the gateway's JSON log lines go
 * @param {string} [options.logLevel='info']
 * @param {number} [options.poolSize]
 * @param {string[]} [options.nodeArgs] default: from BENCH_GATEWAY_NODE_ARGS and BENCH_CPU_PROF_DIR
 * @param {string} [options.script] another build's main.js (the reference gateway of BENCH_REFERENCE_GATEWAY)
 */
export async function startGateway({ databaseUrl, logFile, logLevel = 'info', poolSize, nodeArgs = gatewayNodeArgs(), script = GATEWAY_SCRIPT }) {
  const port = await freePort();
  const adminPassword = randomBytes(12).toString('hex');
  const logFd = openSync(logFile, 'a');
  const server = await startProcess({
    script,
    nodeArgs,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      ...(poolSize ? { DATABASE_POOL_SIZE: String(poolSize) } : {}),
      LOG_LEVEL: logLevel,
      LOG_FORMAT: 'json',
      AUTH_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
      CONTRACTS_FILE: 'example',
      CURSOR_SECRET: randomBytes(24).toString('hex'),
      // The load comes from one principal: with the per-principal limits on, the bench would measure
      // the limiter (a map lookup per request), not the gateway.
      RATE_LIMIT_SUBMIT_PER_SECOND: '0',
      RATE_LIMIT_CLAIM_PER_SECOND: '0',
    },
    stdout: logFd,
    ready: (child) => waitForHealth(`http://127.0.0.1:${port}`, Date.now() + READY_TIMEOUT_MS, child),
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  try {
    return { ...server, port, url, apiKey: await createApiKey(url, adminPassword) };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
