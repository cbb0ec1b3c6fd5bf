import { appendFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayWorker, JobHandler, WorkerLogger } from '../worker-sdk';

/** Five steps of 3 s: long enough to watch a job's progress move in the console. */
const DEFAULT_WORK_MS = 15_000;
const PROGRESS_EVERY_SECONDS = 2;

/** Its knobs serve the reliability tests too (docs/workers.md, "Run the example worker"). */
export interface ExampleWorkerSettings {
  gatewayUrl: string;
  headers: Record<string, string>;
  workerId: string;
  queues: string[];
  concurrency: number;
  /** Unset: the SDK's default. Short leases make a killed worker's jobs come back sooner. */
  leaseSeconds?: number;
  workMs: number;
  completionsFile?: string;
  failEvery?: number;
}

const WORK_STEPS = 5;

const STOP_GRACE_MS = 10_000;

export function readExampleWorkerSettings(env: Record<string, string | undefined>): ExampleWorkerSettings {
  const queues = (env.WORKER_QUEUES ?? 'imports,default')
    .split(',')
    .map((queue) => queue.trim())
    .filter((queue) => queue !== '');
  if (queues.length === 0) throw new Error('Invalid configuration: WORKER_QUEUES must name at least one queue');
  return {
    gatewayUrl: env.GATEWAY_URL || 'http://127.0.0.1:8080/ghibli-rest/v2',
    headers: authenticationHeaders(env),
    workerId: env.WORKER_ID || `example-${hostname()}-${process.pid}`,
    queues,
    concurrency: positiveInteger(env, 'WORKER_CONCURRENCY') ?? 2,
    leaseSeconds: positiveInteger(env, 'WORKER_LEASE_SECONDS'),
    workMs: nonNegativeInteger(env, 'EXAMPLE_WORK_MS') ?? DEFAULT_WORK_MS,
    completionsFile: env.EXAMPLE_COMPLETIONS_FILE || undefined,
    failEvery: positiveInteger(env, 'EXAMPLE_FAIL_EVERY'),
  };
}

function authenticationHeaders(env: Record<string, string | undefined>): Record<string, string> {
  if (env.GATEWAY_API_KEY) return { 'X-API-Key': env.GATEWAY_API_KEY };
  if (env.GATEWAY_USER && env.GATEWAY_PASSWORD) {
    const credentials = Buffer.from(`${env.GATEWAY_USER}:${env.GATEWAY_PASSWORD}`).toString('base64');
    return { Authorization: `Basic ${credentials}` };
  }
  throw new Error('Invalid configuration: set GATEWAY_API_KEY, or GATEWAY_USER and GATEWAY_PASSWORD');
}

function positiveInteger(env: Record<string, string | undefined>, name: string): number | undefined {
  const value = nonNegativeInteger(env, name);
  if (value === 0) throw new Error(`Invalid configuration: ${name} must be at least 1 (got "0")`);
  return value;
}

function nonNegativeInteger(env: Record<string, string | undefined>, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new Error(`Invalid configuration: ${name} must be a whole number (got "${raw}")`);
  return Number(raw);
}

export function createExampleHandler(settings: ExampleWorkerSettings): JobHandler {
  let jobsStarted = 0;
  return async (job, context) => {
    const jobNumber = ++jobsStarted;
    for (let step = 1; step <= WORK_STEPS; step++) {
      await sleep(settings.workMs / WORK_STEPS, undefined, { signal: context.signal });
      context.progress((step * 100) / WORK_STEPS, `step ${step} of ${WORK_STEPS}`);
      context.log(`step ${step} of ${WORK_STEPS} done`);
    }
    if (settings.failEvery !== undefined && jobNumber % settings.failEvery === 0) {
      const because = `EXAMPLE_FAIL_EVERY=${settings.failEvery}`;
      throw new Error(`simulated failure: job number ${jobNumber} of this worker (${because})`);
    }
    if (settings.completionsFile !== undefined) {
      // Before returning, so a job completed twice shows up twice even if this process dies right after.
      const completion = {
        jobId: job.id,
        workerId: settings.workerId,
        attempt: job.execution.number,
        completedAt: new Date().toISOString(),
      };
      appendFileSync(settings.completionsFile, `${JSON.stringify(completion)}\n`);
    }
    return { steps: WORK_STEPS, workMs: settings.workMs };
  };
}

function lineLogger(workerId: string): WorkerLogger {
  const line = (message: string, details: unknown[]) =>
    [new Date().toISOString(), workerId, message, ...details.map((detail) => JSON.stringify(detail))].join(' ');
  return {
    info: (message, ...details) => console.log(line(message, details)),
    warn: (message, ...details) => console.error(line(`WARN ${message}`, details)),
    error: (message, ...details) => console.error(line(`ERROR ${message}`, details)),
  };
}

export async function main(env: Record<string, string | undefined>): Promise<void> {
  const settings = readExampleWorkerSettings(env);
  const logger = lineLogger(settings.workerId);
  const worker = new GatewayWorker({
    baseUrl: settings.gatewayUrl,
    headers: settings.headers,
    workerId: settings.workerId,
    queues: settings.queues,
    concurrency: settings.concurrency,
    leaseSeconds: settings.leaseSeconds,
    // Heartbeats carry progress: often enough that the console shows each step (docs/workers.md, "Run the example worker").
    heartbeatEverySeconds: Math.min(PROGRESS_EVERY_SECONDS, (settings.leaseSeconds ?? 60) / 3),
    handler: createExampleHandler(settings),
    logger,
  });
  worker.start();
  const queues = settings.queues.join(', ');
  logger.info(`started: claiming from ${queues} at ${settings.gatewayUrl}, ${settings.concurrency} at a time`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    // Listening only once lets a second signal do what it does by default: end the process now.
    const onSignal = (received: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(received);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  logger.info(`${signal}: stopping once running jobs are done`);
  await worker.stop({ timeoutMs: STOP_GRACE_MS });
  logger.info('stopped');
}

if (require.main === module) {
  // eslint-disable-next-line no-restricted-properties -- CLI entry point: the environment is this process's configuration
  main(process.env).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
