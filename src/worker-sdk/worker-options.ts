import { GatewayClient } from './gateway-client';
import { JobHandler } from './job-handler';
import { WorkerLogger } from './logger';

/** Either a ready client (to share one, or tune its retries) or what it takes to build one. */
export type GatewayConnection = { client: GatewayClient } | { baseUrl: string; headers?: Record<string, string> };

export type GatewayWorkerOptions = GatewayConnection & {
  /** Shown by the gateway as the holder of each lease; make it unique per process. */
  workerId: string;
  queues: string[];
  concurrency?: number;
  leaseSeconds?: number;
  waitSeconds?: number;
  /** Default leaseSeconds / 3, so that two heartbeats may fail before the lease runs out. */
  heartbeatEverySeconds?: number;
  /** Default true: complete and fail also claim the freed slot's next job, one request per job (docs/workers.md, "Complete and claim"). */
  completeAndClaim?: boolean;
  handler: JobHandler;
  logger?: WorkerLogger;
};

export interface WorkerSettings {
  workerId: string;
  queues: string[];
  concurrency: number;
  leaseSeconds: number;
  waitSeconds: number;
  heartbeatEveryMs: number;
  completeAndClaim: boolean;
}

/** Rejects settings the gateway would refuse on every claim, before the worker starts looping on them. */
export function resolveWorkerSettings(options: GatewayWorkerOptions): WorkerSettings {
  const leaseSeconds = options.leaseSeconds ?? 60;
  const heartbeatEverySeconds = options.heartbeatEverySeconds ?? leaseSeconds / 3;
  const settings: WorkerSettings = {
    workerId: options.workerId,
    queues: options.queues,
    concurrency: options.concurrency ?? 1,
    leaseSeconds,
    waitSeconds: options.waitSeconds ?? 20,
    heartbeatEveryMs: heartbeatEverySeconds * 1000,
    completeAndClaim: options.completeAndClaim ?? true,
  };
  check(settings.workerId.trim() !== '', 'workerId must not be empty');
  check(settings.queues.length > 0, 'queues must name at least one queue');
  check(Number.isInteger(settings.concurrency) && settings.concurrency >= 1, 'concurrency must be an integer >= 1');
  check(isIntegerBetween(leaseSeconds, 5, 3600), 'leaseSeconds must be an integer from 5 to 3600');
  check(isIntegerBetween(settings.waitSeconds, 0, 30), 'waitSeconds must be an integer from 0 to 30');
  check(
    heartbeatEverySeconds > 0 && heartbeatEverySeconds < leaseSeconds,
    'heartbeatEverySeconds must be above 0 and below leaseSeconds',
  );
  return settings;
}

function isIntegerBetween(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(`GatewayWorker: ${message}`);
}
