import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm';
import { Principal } from '../common/principal';
import { DomainError } from '../common/errors/domain-error';
import { CursorCodec } from '../common/paging/cursor-codec';
import { PatchJobDto } from './dto/control.dto';
import { BulkCommandQueryDto } from './dto/bulk-command-query.dto';
import { JobEntity } from './job.entity';
import { JobExecutionEntity } from './job-execution.entity';
import { JobExecutionsRepository } from './job-executions.repository';
import { JobLogEntity } from './job-log.entity';
import type { JobEventEntity, JobEventType } from './job-event.entity';
import { JobTimelineRepository } from './job-timeline.repository';
import { JobSignals } from './job-signals';
import { BULK_COMMAND_STATUSES, CONTROL_TRANSITIONS, ControlCommand, JobStatus } from './job-status';
import { ChangeEvent, JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

/** A bulk command touches at most this many jobs per call; `remaining` says to call again. */
export const BULK_LIMIT = 1000;

/** A position in one job's logs or events: `of` keeps a cursor of one from paging the other. */
type HistoryCursor = { job: string; after: string; of?: 'events' };

const isHistoryCursor = (value: unknown): value is HistoryCursor =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { job?: unknown }).job === 'string' &&
  typeof (value as { after?: unknown }).after === 'string';

/** The changes each control command makes besides the status. */
function changesOf(command: ControlCommand, by: string): QueryDeepPartialEntity<JobEntity> {
  const fields = fieldsOf(command, by) as QueryDeepPartialEntity<JobEntity>;
  // Back to the submission's notBefore (null when none): a delayed job stays delayed (docs/api.md, "Jobs").
  return command === 'resume' || command === 'restart' ? { ...fields, runAfter: () => 'not_before' } : fields;
}

function fieldsOf(command: ControlCommand, by: string): Partial<JobEntity> {
  const status = CONTROL_TRANSITIONS[command].to;
  switch (command) {
    case 'abort':
      return { status, statusMessage: `aborted by ${by}`, finishedAt: new Date() };
    case 'suspend':
      return { status, statusMessage: `suspended by ${by}` };
    case 'resume':
      return { status, statusMessage: `resumed by ${by}` };
    case 'restart':
      return { status, statusMessage: `restarted by ${by}`, attempts: 0, abortRequested: false, progress: null, finishedAt: null, result: null };
  }
}

const EVENT_OF: Record<ControlCommand, JobEventType> = {
  abort: 'job.aborted',
  suspend: 'job.suspended',
  resume: 'job.resumed',
  restart: 'job.restarted',
};

const controlEvent = (command: ControlCommand, by: string, bulk = false): ChangeEvent => ({
  type: EVENT_OF[command],
  actor: by,
  data: bulk ? { bulk: true } : {},
});

const abortRequestEvent = (by: string, bulk = false): ChangeEvent => ({ type: 'job.abort_requested', actor: by, data: bulk ? { bulk: true } : {} });

const abortRequest = (by: string): QueryDeepPartialEntity<JobEntity> => ({ abortRequested: true, statusMessage: `abort requested by ${by}` });

/** Control operations on jobs (abort, suspend, resume, restart, patch) and their history. */
@Injectable()
export class JobLifecycleService {
  constructor(
    private readonly jobsService: JobsService,
    private readonly jobs: JobsRepository,
    private readonly executionsRepository: JobExecutionsRepository,
    private readonly cursors: CursorCodec,
    private readonly timeline: JobTimelineRepository,
    private readonly signals: JobSignals,
  ) {}

  /** Applies a control command; `requested` when an abort of a RUNNING job waits for its worker's next heartbeat. */
  async control(principal: Principal, id: string, command: ControlCommand): Promise<{ job: JobEntity; requested: boolean }> {
    await this.jobsService.get(principal, id);
    const { from } = CONTROL_TRANSITIONS[command];
    if (await this.jobs.transition(id, from, changesOf(command, principal.name), controlEvent(command, principal.name))) {
      this.signals.jobChanged(id);
      return { job: await this.reload(id), requested: false };
    }
    if (command === 'abort' && (await this.jobs.transition(id, [JobStatus.RUNNING], abortRequest(principal.name), abortRequestEvent(principal.name)))) {
      return { job: await this.reload(id), requested: true };
    }
    const current = await this.reload(id);
    throw new DomainError('ILLEGAL_TRANSITION', `Cannot ${command} a job that is ${current.status}.`, {
      extensions: { currentStatus: current.status, allowedFrom: [...from] },
    });
  }

  /** Abort or restart every job matching the list filters, up to BULK_LIMIT per call, in at most three statements. */
  async bulk(principal: Principal, query: BulkCommandQueryDto, command: 'abort' | 'restart') {
    const criteria = this.jobsService.criteriaFor(principal, query);
    const filtered = Object.keys(criteria.equals).length > 0 || [criteria.createdAt, criteria.updatedAt].some((range) => range.from || range.to);
    if (!filtered && query.all !== true) {
      throw new DomainError('VALIDATION_FAILED', `A bulk ${command} needs at least one filter, or all=true to act on every job.`, {
        errors: [{ field: 'all', message: 'must be true when no filter is given' }],
      });
    }
    const ids = await this.jobs.findIds(criteria, BULK_COMMAND_STATUSES[command], BULK_LIMIT + 1);
    const batch = ids.slice(0, BULK_LIMIT);
    const by = principal.name;
    const moved = await this.jobs.transitionMany(batch, CONTROL_TRANSITIONS[command].from, changesOf(command, by), controlEvent(command, by, true));
    for (const movedId of moved) this.signals.jobChanged(movedId);
    let count = moved.length;
    if (command === 'abort') count += (await this.jobs.transitionMany(batch, [JobStatus.RUNNING], abortRequest(by), abortRequestEvent(by, true))).length;
    return { count, remaining: ids.length > BULK_LIMIT };
  }

  async patch(principal: Principal, id: string, dto: PatchJobDto): Promise<JobEntity> {
    await this.jobsService.get(principal, id);
    const changes = {
      ...(dto.name === undefined ? {} : { name: dto.name }),
      ...(dto.description === undefined ? {} : { description: dto.description }),
      ...(dto.tags === undefined ? {} : { tags: [...new Set(dto.tags)] }),
    };
    await this.jobs.update(id, changes, { type: 'job.updated', actor: principal.name, data: { fields: Object.keys(changes) } });
    return this.reload(id);
  }

  async executions(principal: Principal, id: string): Promise<JobExecutionEntity[]> {
    await this.jobsService.get(principal, id, 'display');
    return this.executionsRepository.executions(id);
  }

  async logs(principal: Principal, id: string, maxItems: number, cursor?: string): Promise<{ lines: JobLogEntity[]; cursor?: string }> {
    await this.jobsService.get(principal, id, 'display');
    const rows = await this.executionsRepository.logs(id, this.after(id, cursor), maxItems + 1);
    const lines = rows.slice(0, maxItems);
    const last = lines[lines.length - 1];
    return { lines, cursor: rows.length > maxItems ? this.cursors.encode({ job: id, after: String(last.id) }) : undefined };
  }

  /** The job's timeline, oldest first (docs/events.md). */
  async events(principal: Principal, id: string, maxItems: number, cursor?: string): Promise<{ events: JobEventEntity[]; cursor?: string }> {
    await this.jobsService.get(principal, id, 'display');
    const rows = await this.timeline.page(id, this.after(id, cursor, 'events'), maxItems + 1);
    const events = rows.slice(0, maxItems);
    const last = events[events.length - 1];
    return { events, cursor: rows.length > maxItems ? this.cursors.encode({ job: id, after: String(last.id), of: 'events' }) : undefined };
  }

  private after(id: string, cursor: string | undefined, of?: 'events'): string | undefined {
    if (!cursor) return undefined;
    const payload = this.cursors.decode(cursor, isHistoryCursor);
    if (payload.job !== id || payload.of !== of) throw new DomainError('INVALID_CURSOR', 'The cursor belongs to another job or list.');
    return payload.after;
  }

  private async reload(id: string): Promise<JobEntity> {
    return (await this.jobs.findById(id)) as JobEntity;
  }
}
