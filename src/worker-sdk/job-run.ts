import { GatewayClient } from './gateway-client';
import { errorMessage, GatewayError, isRefusedByGateway, LeaseLostError } from './errors';
import { JobContext, JobHandler } from './job-handler';
import { JobLogBuffer } from './log-buffer';
import { WorkerLogger } from './logger';
import { ClaimedJob, ClaimNextRequest, EndedJob, HeartbeatRequest, LogLevel, PROTOCOL_LIMITS } from './protocol';

export interface JobRunSettings {
  client: GatewayClient;
  handler: JobHandler;
  logger: WorkerLogger;
  heartbeatEveryMs: number;
  /** What to claim with the outcome, if anything (asked when the outcome is sent). */
  claimNext?: () => ClaimNextRequest | undefined;
  /** Jobs the outcome's answer claimed for this worker. */
  onClaimed?: (jobs: ClaimedJob[]) => void;
}

type AbortCause = 'abort-requested' | 'lease-lost' | 'worker-stopping';

type HandlerOutcome = { resolved: true; result: unknown } | { resolved: false; error: unknown };

/** Statuses with which the gateway refuses a result itself (too large, not JSON): sending it again cannot help. */
const RESULT_REFUSED_STATUSES = new Set([400, 413, 422]);

export class JobRun {
  private readonly abortController = new AbortController();
  private abortCause?: AbortCause;
  private pendingProgress?: Omit<HeartbeatRequest, 'leaseToken'>;
  private handlerSettled = false;
  private heartbeatTimer?: NodeJS.Timeout;
  private heartbeatInFlight?: Promise<void>;
  private backgroundLogFlush?: Promise<void>;
  private readonly logs: JobLogBuffer;

  constructor(
    private readonly job: ClaimedJob,
    private readonly settings: JobRunSettings,
  ) {
    this.logs = new JobLogBuffer((lines) =>
      settings.client.appendLogs(job.id, { leaseToken: job.lease.token, lines }),
    );
  }

  abortForShutdown(): void {
    this.abort('worker-stopping');
  }

  /** Never rejects: whatever goes wrong is logged, and an unreported job runs again after its lease expires. */
  async run(): Promise<void> {
    this.scheduleHeartbeat();
    const outcome = await this.runHandler();
    this.handlerSettled = true;
    clearTimeout(this.heartbeatTimer);
    await this.heartbeatInFlight;
    if (this.abortCause === 'lease-lost') return this.dropForLostLease();
    try {
      await this.flushLogsBeforeOutcome();
      await this.report(outcome);
    } catch (error) {
      if (error instanceof LeaseLostError) return this.dropForLostLease();
      this.settings.logger.error(`job ${this.job.id}: outcome not reported, it will run again once its lease expires`, {
        ...this.describe(),
        error: errorMessage(error),
      });
    }
  }

  private dropForLostLease(): void {
    this.settings.logger.warn(`job ${this.job.id}: lease lost, dropped without reporting`, this.describe());
  }

  private async runHandler(): Promise<HandlerOutcome> {
    try {
      return { resolved: true, result: await this.settings.handler(this.job, this.context()) };
    } catch (error) {
      return { resolved: false, error };
    }
  }

  private context(): JobContext {
    return {
      job: this.job,
      signal: this.abortController.signal,
      progress: (percent, message) => {
        // NaN would reach the gateway as null and get every heartbeat refused.
        if (!Number.isFinite(percent)) return;
        this.pendingProgress = {
          progress: Math.min(100, Math.max(0, percent)),
          ...(message === undefined ? {} : { message: message.slice(0, PROTOCOL_LIMITS.maxHeartbeatMessageLength) }),
        };
      },
      log: (message, level: LogLevel = 'info') => {
        this.logs.add({ message: message.slice(0, PROTOCOL_LIMITS.maxLogMessageLength), level });
        if (this.logs.size >= PROTOCOL_LIMITS.maxLogLinesPerCall) this.flushLogsInBackground();
      },
    };
  }

  private async report(outcome: HandlerOutcome): Promise<void> {
    if (this.abortCause === 'abort-requested') return this.fail('aborted', false);
    if (outcome.resolved) return this.complete(outcome.result);
    if (this.abortCause === 'worker-stopping') return this.fail('the worker stopped before the job finished', true);
    return this.fail(errorMessage(outcome.error), isRetryable(outcome.error));
  }

  private async complete(result: unknown): Promise<void> {
    const leaseToken = this.job.lease.token;
    try {
      const claimNext = this.settings.claimNext?.();
      const request = { leaseToken, ...(result === undefined ? {} : { result }), ...(claimNext ? { claimNext } : {}) };
      this.launchClaimed(await this.settings.client.complete(this.job.id, request));
      this.settings.logger.info(`job ${this.job.id}: completed`, this.describe());
    } catch (error) {
      const resultRefused =
        error instanceof GatewayError && !(error instanceof LeaseLostError) && RESULT_REFUSED_STATUSES.has(error.status);
      if (!resultRefused) throw error;
      await this.fail(`the gateway refused the result: ${error.detail}`, false);
    }
  }

  private async fail(message: string, retryable: boolean): Promise<void> {
    const error = message.slice(0, PROTOCOL_LIMITS.maxErrorLength);
    const claimNext = this.settings.claimNext?.();
    const job = await this.settings.client.fail(this.job.id, {
      leaseToken: this.job.lease.token,
      error,
      retryable,
      ...(claimNext ? { claimNext } : {}),
    });
    this.launchClaimed(job);
    this.settings.logger.info(`job ${this.job.id}: failed, now ${job.status}`, { ...this.describe(), error });
  }

  private launchClaimed(ended: EndedJob): void {
    if (ended.claimed?.length) this.settings.onClaimed?.(ended.claimed);
  }

  /** setTimeout rather than setInterval: a slow heartbeat must not overlap the next one. */
  private scheduleHeartbeat(): void {
    this.heartbeatTimer = setTimeout(() => {
      this.heartbeatInFlight = this.heartbeat().finally(() => {
        this.heartbeatInFlight = undefined;
        if (!this.handlerSettled && this.abortCause !== 'lease-lost') this.scheduleHeartbeat();
      });
    }, this.settings.heartbeatEveryMs);
  }

  private async heartbeat(): Promise<void> {
    const progress = this.pendingProgress;
    this.pendingProgress = undefined;
    try {
      const answer = await this.settings.client.heartbeat(this.job.id, { leaseToken: this.job.lease.token, ...progress });
      if (answer.abortRequested) this.abort('abort-requested');
    } catch (error) {
      if (error instanceof LeaseLostError) return this.abort('lease-lost');
      // Progress the gateway refused would be refused again, and take the lease-keeping heartbeat down with it.
      if (!isRefusedByGateway(error)) this.pendingProgress ??= progress;
      this.warn('heartbeat failed, trying again at the next one', error);
      return;
    }
    this.flushLogsInBackground();
  }

  private flushLogsInBackground(): void {
    if (this.backgroundLogFlush || this.logs.size === 0) return;
    this.backgroundLogFlush = this.logs
      .flush()
      .catch((error: unknown) => {
        if (error instanceof LeaseLostError) return this.abort('lease-lost');
        this.warn('log lines not sent', error);
      })
      .finally(() => (this.backgroundLogFlush = undefined));
  }

  private async flushLogsBeforeOutcome(): Promise<void> {
    try {
      await this.logs.flush();
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      this.warn('log lines not sent before the outcome', error);
    }
  }

  private abort(cause: AbortCause): void {
    if (this.abortCause === undefined || cause === 'lease-lost') this.abortCause = cause;
    this.abortController.abort(new Error(`job ${this.job.id} aborted: ${cause}`));
  }

  private warn(what: string, error: unknown): void {
    this.settings.logger.warn(`job ${this.job.id}: ${what}`, { ...this.describe(), error: errorMessage(error) });
  }

  private describe() {
    return { jobId: this.job.id, execution: this.job.execution.number };
  }
}

function isRetryable(error: unknown): boolean {
  return (error as { retryable?: unknown } | null)?.retryable !== false;
}
