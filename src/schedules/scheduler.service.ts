import { randomUUID } from 'node:crypto';
import { SYSTEM_PRINCIPAL_PREFIX } from '../auth/principal-name';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { type ScheduledAction, ScheduledActions } from '../catalogue';
import { DomainError } from '../common/errors/domain-error';
import type { Principal } from '../common/principal';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { JobSubmissionsService } from '../jobs';
import { SCHEDULER_CLOCK, type SchedulerClock } from './clock';
import { fireExtIpid, firesOnStart, firesSince } from './fires';

/** The principal every fire is submitted as: part of the IPID, so every instance's fire is the same job. */
export const SCHEDULER_PRINCIPAL_NAME = `${SYSTEM_PRINCIPAL_PREFIX}scheduler`;
/** Submissions per tick over all schedules: the rest wait for the next tick. */
export const MAX_SUBMITS_PER_TICK = 100;
/** Fires kept for retry per schedule while submissions fail; the oldest go first. */
export const MAX_PENDING_FIRES = 100;

export interface LastFire {
  fireAt: Date;
  jobId: string;
  created: boolean;
}

interface ScheduleState {
  fingerprint: string;
  /** Fires up to this instant have been taken into `pending` or submitted. */
  cursor: Date;
  pending: Date[];
}

const keyOf = (scheduled: Pick<ScheduledAction, 'contract' | 'action'>) => JSON.stringify([scheduled.contract, scheduled.action]);
const fingerprintOf = ({ schedule }: ScheduledAction) =>
  JSON.stringify([schedule.cron, schedule.timezone, schedule.missedFires, schedule.since]);
// Refused for good (unknown, disabled, invalid): retrying the same fire cannot succeed; anything else may.
const isPermanent = (error: unknown) => error instanceof DomainError && !['CONFLICT', 'DATABASE_UNAVAILABLE'].includes(error.code);

/** Submits each fire of every TIME action through the idempotent submit; runs in every instance (docs/queues.md). */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Scheduler');
  private readonly states = new Map<string, ScheduleState>();
  private readonly lastFires = new Map<string, LastFire>();
  private readonly task = new PeriodicTask(
    () => this.pass(),
    (error) => this.logger.warn(`scheduler tick failed: ${String(error)}`),
  );

  constructor(
    private readonly scheduled: ScheduledActions,
    private readonly jobs: JobSubmissionsService,
    private readonly config: AppConfig,
    @Inject(SCHEDULER_CLOCK) private readonly clock: SchedulerClock,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.scheduler.enabled) return;
    this.task.start(this.config.scheduler.tickMs);
  }

  onModuleDestroy() {
    return this.task.stop();
  }

  /** The last fire this instance submitted for the action, if any. */
  lastFire(contract: string, action: string): LastFire | undefined {
    return this.lastFires.get(keyOf({ contract, action }));
  }

  /** One pass; skipped while the previous one is still running. Never throws. */
  async tick(): Promise<void> {
    await this.task.runOnce();
  }

  private async pass(): Promise<void> {
    const schedules = await this.scheduled.list();
    const now = this.clock();
    const seen = new Set<string>();
    let budget = MAX_SUBMITS_PER_TICK;
    for (const scheduled of schedules) {
      const key = keyOf(scheduled);
      seen.add(key);
      const state = this.advance(key, scheduled, now);
      if (!scheduled.submittable || !scheduled.schedule.enabled) {
        state.pending = [];
        continue;
      }
      budget = await this.submitPending(scheduled, state, budget);
    }
    for (const key of this.states.keys()) if (!seen.has(key)) this.states.delete(key);
  }

  /** Moves the schedule's cursor to `now`, queueing the fires that came (or, first seen, the missed one). */
  private advance(key: string, scheduled: ScheduledAction, now: Date): ScheduleState {
    const fingerprint = fingerprintOf(scheduled);
    const state = this.states.get(key);
    if (!state || state.fingerprint !== fingerprint) {
      const fresh = { fingerprint, cursor: now, pending: firesOnStart(scheduled.schedule, now) };
      this.states.set(key, fresh);
      return fresh;
    }
    if (now > state.cursor) {
      const due = firesSince(scheduled.schedule, state.cursor, now);
      state.pending = [...state.pending, ...due].slice(-MAX_PENDING_FIRES);
      state.cursor = now;
    }
    return state;
  }

  private async submitPending(scheduled: ScheduledAction, state: ScheduleState, budget: number): Promise<number> {
    while (state.pending.length > 0 && budget > 0) {
      const fire = state.pending[0];
      budget--;
      try {
        const outcome = await this.jobs.submit(this.principalFor(scheduled), {
          contractName: scheduled.contract,
          actionName: scheduled.action,
          actionVariables: scheduled.schedule.actionVariables,
          extIPID: fireExtIpid(fire),
        }, `scheduler-${randomUUID()}`);
        this.lastFires.set(keyOf(scheduled), { fireAt: fire, jobId: String(outcome.job.id), created: outcome.kind === 'created' });
        if (outcome.kind === 'created') this.logger.log(`${scheduled.contract}/${scheduled.action}: fire ${fire.toISOString()} is job ${outcome.job.id}`);
      } catch (error) {
        this.logger.warn(`${scheduled.contract}/${scheduled.action}: fire ${fire.toISOString()} not submitted: ${String(error)}`);
        if (!isPermanent(error)) return budget;
      }
      state.pending.shift();
    }
    return budget;
  }

  // The action's writer (CONTRACTS permission) set its schedule, so a fire acts with the roles the action admits.
  private principalFor(scheduled: ScheduledAction): Principal {
    return { name: SCHEDULER_PRINCIPAL_NAME, roles: [...scheduled.allowedRoles], via: 'api-key' };
  }
}
