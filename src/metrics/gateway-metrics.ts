import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { ExecutionOutcome } from '../jobs';

export type SubmissionOutcome = 'created' | 'duplicate' | 'rejected' | 'failed';

/** The submit route's template, relative to the context path. */
const SUBMIT_ROUTE = '/job-manager/jobs';

/** By the answer's status, so a refusal anywhere in the pipeline counts; a 401 is nobody's submission. */
export function submissionOutcome(status: number): SubmissionOutcome | undefined {
  if (status === 201) return 'created';
  if (status === 409) return 'duplicate';
  if (status >= 500) return 'failed';
  if (status >= 400 && status !== 401) return 'rejected';
  return undefined;
}

/** Every metric the gateway records, in memory, in one registry per app instance (docs/operations.md, "Metrics"). */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();

  private readonly requestDuration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'HTTP requests by method, route template (never the raw URL) and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly submissions = new Counter({
    name: 'gateway_job_submissions_total',
    help: 'Job submissions by outcome: created (201), duplicate (409), rejected (other 4xx), failed (5xx)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly claimDuration = new Histogram({
    name: 'gateway_claim_duration_seconds',
    help: 'Time of one claim query (lock, update, read back), long-poll waits excluded',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly claimed = new Counter({
    name: 'gateway_jobs_claimed_total',
    help: 'Jobs handed to workers, by queue',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  private readonly waitBeforeClaim = new Histogram({
    name: 'gateway_job_wait_seconds',
    help: 'Time from submission to the first claim of a job, by queue',
    labelNames: ['queue'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  private readonly executions = new Counter({
    name: 'gateway_executions_total',
    help: 'Executions that ended, by queue and outcome (COMPLETED, FAILED, EXPIRED, ABORTED)',
    labelNames: ['queue', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly retries = new Counter({
    name: 'gateway_job_retries_total',
    help: 'Jobs sent back to their queue for another attempt, by queue and reason (failed, lease_expired)',
    labelNames: ['queue', 'reason'] as const,
    registers: [this.registry],
  });

  private readonly leaseExpirations = new Counter({
    name: 'gateway_lease_expirations_total',
    help: 'Leases that ran out (worker silent or execution timeout) and were reaped by this instance, by queue',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  private readonly purged = new Counter({
    name: 'gateway_retention_purged_jobs_total',
    help: 'Finished jobs deleted by retention on this instance (with their executions and logs)',
    registers: [this.registry],
  });

  private readonly webhookDeliveries = new Counter({
    name: 'gateway_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: succeeded (2xx), failed (will be retried), dead (retries spent)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
  }

  /** Every answer, by route template; answers to the submit route also count as submissions. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status: String(status) }, seconds);
    if (method === 'POST' && route === SUBMIT_ROUTE) {
      const outcome = submissionOutcome(status);
      if (outcome) this.submissions.inc({ outcome });
    }
  }

  claimQuery(seconds: number): void {
    this.claimDuration.observe(seconds);
  }

  jobClaimed(queue: string, waitedSeconds?: number): void {
    this.claimed.inc({ queue });
    if (waitedSeconds !== undefined) this.waitBeforeClaim.observe({ queue }, Math.max(0, waitedSeconds));
  }

  executionEnded(queue: string, outcome: ExecutionOutcome): void {
    this.executions.inc({ queue, outcome });
  }

  retried(queue: string, reason: 'failed' | 'lease_expired'): void {
    this.retries.inc({ queue, reason });
  }

  leaseExpired(queue: string): void {
    this.leaseExpirations.inc({ queue });
  }

  jobsPurged(count: number): void {
    this.purged.inc(count);
  }

  webhookDelivery(outcome: 'succeeded' | 'failed' | 'dead'): void {
    this.webhookDeliveries.inc({ outcome });
  }
}
