import { setTimeout as sleep } from 'node:timers/promises';
import { BackoffPolicy, fullJitterDelayMs } from './backoff';
import { errorMessage } from './errors';
import { GatewayClient } from './gateway-client';
import { JobHandler } from './job-handler';
import { JobRun } from './job-run';
import { consoleLogger, WorkerLogger } from './logger';
import { ClaimedJob, PROTOCOL_LIMITS } from './protocol';
import { GatewayWorkerOptions, resolveWorkerSettings, WorkerSettings } from './worker-options';

/** Between claims that failed even after the client's own retries: the gateway is down or refuses us. */
const FAILED_CLAIM_BACKOFF: BackoffPolicy = { baseDelayMs: 1000, maxDelayMs: 30_000 };

/** Without a long-poll, an empty queue would otherwise be asked again at once, in a tight loop. */
const EMPTY_SHORT_POLL_PAUSE_MS = 1000;

export interface StopOptions {
  /** Abort the jobs still running after this long, and wait for their handlers to give up. */
  timeoutMs?: number;
}

/** Claims and runs jobs, `concurrency` at a time, at least once each (docs/workers.md, "Delivery semantics"). */
export class GatewayWorker {
  private readonly settings: WorkerSettings;
  private readonly client: GatewayClient;
  private readonly handler: JobHandler;
  private readonly logger: WorkerLogger;
  private readonly running = new Map<JobRun, Promise<void>>();
  private readonly stopClaiming = new AbortController();
  private claimLoop?: Promise<void>;
  private wakeClaimLoop: () => void = () => {};

  constructor(options: GatewayWorkerOptions) {
    this.settings = resolveWorkerSettings(options);
    this.client =
      'client' in options ? options.client : new GatewayClient({ baseUrl: options.baseUrl, headers: options.headers });
    this.handler = options.handler;
    this.logger = options.logger ?? consoleLogger;
  }

  start(): void {
    if (this.claimLoop) throw new Error('GatewayWorker.start() was already called');
    this.claimLoop = this.claimUntilStopped();
  }

  /** Resolves once every running job reported its outcome; jobs of a cancelled long-poll return at lease expiry. */
  async stop(options: StopOptions = {}): Promise<void> {
    this.stopClaiming.abort(new Error('the worker is stopping'));
    this.wakeClaimLoop();
    await this.claimLoop;
    const allFinished = Promise.all(this.running.values());
    if (options.timeoutMs !== undefined) await this.abortIfStillRunningAfter(options.timeoutMs, allFinished);
    await allFinished;
  }

  private async abortIfStillRunningAfter(timeoutMs: number, allFinished: Promise<unknown>): Promise<void> {
    const gracePeriod = new AbortController();
    const timedOut = await Promise.race([
      allFinished.then(() => false),
      sleep(timeoutMs, true, { signal: gracePeriod.signal }),
    ]);
    gracePeriod.abort();
    if (!timedOut) return;
    this.logger.warn(`aborting ${this.running.size} job(s) still running after ${timeoutMs} ms`);
    for (const run of this.running.keys()) run.abortForShutdown();
  }

  private get stopping(): boolean {
    return this.stopClaiming.signal.aborted;
  }

  private async claimUntilStopped(): Promise<void> {
    let failedClaims = 0;
    while (!this.stopping) {
      const freeSlots = this.settings.concurrency - this.running.size;
      if (freeSlots <= 0) {
        await new Promise<void>((resolve) => (this.wakeClaimLoop = resolve));
        continue;
      }
      try {
        const { jobs } = await this.client.claim(
          {
            workerId: this.settings.workerId,
            queues: this.settings.queues,
            maxJobs: Math.min(freeSlots, PROTOCOL_LIMITS.maxJobsPerClaim),
            leaseSeconds: this.settings.leaseSeconds,
            waitSeconds: this.settings.waitSeconds,
          },
          { signal: this.stopClaiming.signal },
        );
        failedClaims = 0;
        for (const job of jobs) this.launch(job);
        if (jobs.length === 0 && this.settings.waitSeconds === 0) await this.pause(EMPTY_SHORT_POLL_PAUSE_MS);
      } catch (error) {
        if (this.stopping) return;
        failedClaims++;
        const delayMs = fullJitterDelayMs(failedClaims, FAILED_CLAIM_BACKOFF);
        this.logger.error(`claim failed, next attempt in ${delayMs} ms`, { error: errorMessage(error) });
        await this.pause(delayMs);
      }
    }
  }

  private launch(job: ClaimedJob): void {
    const run = new JobRun(job, {
      client: this.client,
      handler: this.handler,
      logger: this.logger,
      heartbeatEveryMs: this.settings.heartbeatEveryMs,
      ...(this.settings.completeAndClaim
        ? {
            // The slot this job frees, claimed with its outcome; none once the worker is stopping.
            claimNext: () => (this.stopping ? undefined : { queues: this.settings.queues, maxJobs: 1, leaseSeconds: this.settings.leaseSeconds }),
            onClaimed: (jobs: ClaimedJob[]) => jobs.forEach((next) => this.launch(next)),
          }
        : {}),
    });
    const finished = run.run().finally(() => {
      this.running.delete(run);
      this.wakeClaimLoop();
    });
    this.running.set(run, finished);
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopClaiming.signal }).catch(() => undefined);
  }
}
