import { Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Database } from '../database/database.service';
import { JobsRepository, JobStatus, LIVE_STATUSES, LiveJobCount } from '../jobs';
import { GatewayMetrics } from './gateway-metrics';

/** However often Prometheus scrapes, each instance counts the jobs at most this often. */
export const JOB_COUNTS_MAX_AGE_MS = 10_000;

/** The scrape: in-memory metrics, plus job counts (one cached GROUP BY) and pool gauges computed when scraped. */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger(MetricsService.name);
  private counts: LiveJobCount[] = [];
  private countedAt = 0;
  private counting?: Promise<void>;

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly database: Database,
    private readonly jobCounts: JobsRepository,
  ) {
    const registers = [metrics.registry];
    // prom-client runs every gauge's collect() concurrently on each scrape: each awaits the same
    // shared count, then sets its own series (reset first, so emptied queues disappear).
    const jobs: Gauge<'status' | 'queue'> = new Gauge({
      name: 'gateway_jobs',
      help: `Jobs by live status (${LIVE_STATUSES.join(', ')}) and queue, counted at most every ${JOB_COUNTS_MAX_AGE_MS / 1000}s`,
      labelNames: ['status', 'queue'] as const,
      registers,
      collect: async () => {
        await this.refreshCounts();
        jobs.reset();
        for (const row of this.counts) jobs.set({ status: row.status, queue: row.queue }, row.count);
      },
    });
    const depth: Gauge<'queue'> = new Gauge({
      name: 'gateway_queue_depth',
      help: 'SUBMITTED jobs waiting for a worker (including those in retry backoff or delayed by notBefore), by queue',
      labelNames: ['queue'] as const,
      registers,
      collect: async () => {
        await this.refreshCounts();
        depth.reset();
        for (const row of this.counts) if (row.status === JobStatus.SUBMITTED) depth.set({ queue: row.queue }, row.count);
      },
    });
    const countedAt: Gauge = new Gauge({
      name: 'gateway_job_counts_timestamp_seconds',
      help: 'When gateway_jobs and gateway_queue_depth were last counted (stale when the database is unreachable)',
      registers,
      collect: async () => {
        await this.refreshCounts();
        if (this.countedAt > 0) countedAt.set(this.countedAt / 1000);
      },
    });
    const poolConnections: Gauge<'pool' | 'state'> = new Gauge({
      name: 'gateway_db_pool_connections',
      help: 'MySQL/MariaDB pool connections by pool (primary, replicaN) and state (in_use, idle)',
      labelNames: ['pool', 'state'] as const,
      registers,
      collect: () => {
        poolConnections.reset();
        for (const pool of this.database.poolStats()) {
          poolConnections.set({ pool: pool.name, state: 'in_use' }, pool.open - pool.idle);
          poolConnections.set({ pool: pool.name, state: 'idle' }, pool.idle);
        }
      },
    });
    const poolWaiting: Gauge<'pool'> = new Gauge({
      name: 'gateway_db_pool_waiting_requests',
      help: 'Requests queued for a connection, by pool',
      labelNames: ['pool'] as const,
      registers,
      collect: () => {
        poolWaiting.reset();
        for (const pool of this.database.poolStats()) poolWaiting.set({ pool: pool.name }, pool.waiting);
      },
    });
    const poolMax: Gauge<'pool'> = new Gauge({
      name: 'gateway_db_pool_max_connections',
      help: 'Connection limit of each pool (DATABASE_POOL_SIZE)',
      labelNames: ['pool'] as const,
      registers,
      collect: () => {
        poolMax.reset();
        for (const pool of this.database.poolStats()) poolMax.set({ pool: pool.name }, pool.max);
      },
    });
  }

  get contentType(): string {
    return this.metrics.registry.contentType;
  }

  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  /** Concurrent scrapes share one query; a failed count keeps the last values (see the timestamp). */
  private refreshCounts(): Promise<void> {
    if (Date.now() - this.countedAt < JOB_COUNTS_MAX_AGE_MS) return Promise.resolve();
    this.counting ??= this.jobCounts.countLive()
      .then((counts) => {
        this.counts = counts;
        this.countedAt = Date.now();
      })
      .catch((error: unknown) => this.logger.warn(`counting jobs for /metrics failed: ${String(error)}`))
      .finally(() => (this.counting = undefined));
    return this.counting;
  }
}
