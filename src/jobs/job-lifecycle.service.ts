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
import { BULK_COMMAND_STATUSES, CONTROL_TRANSITIONS, ControlCommand, JobStatus } from './job-status';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

/** A bulk command touches at most this many jobs per call; `remaining` says to call again. */
export const BULK_LIMIT = 1000;

const isLogCursor = (value: unknown): value is { job: string; after: string } =>
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

const abortRequest = (by: string): QueryDeepPartialEntity<JobEntity> => ({ abortRequested: true, statusMessage: `abort requested by ${by}` });

/** Control operations on jobs (abort, suspend, resume, restart, patch) and their history. */
@Injectable()
export class JobLifecycleService {
  constructor(
    private readonly jobsService: JobsService,
    private readonly jobs: JobsRepository,
    private readonly executionsRepository: JobExecutionsRepository,
    private readonly cursors: CursorCodec,
  ) {}

  /** Applies a control command; `requested` when an abort of a RUNNING job waits for its worker's next heartbeat. */
  async control(principal: Principal, id: string, command: ControlCommand): Promise<{ job: JobEntity; requested: boolean }> {
    await this.jobsService.get(principal, id);
    const { from } = CONTROL_TRANSITIONS[command];
    if (await this.jobs.transition(id, from, changesOf(command, principal.name))) return { job: await this.reload(id), requested: false };
    if (command === 'abort' && (await this.jobs.transition(id, [JobStatus.RUNNING], abortRequest(principal.name)))) {
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
    let count = await this.jobs.transitionMany(batch, CONTROL_TRANSITIONS[command].from, changesOf(command, principal.name));
    if (command === 'abort') count += await this.jobs.transitionMany(batch, [JobStatus.RUNNING], abortRequest(principal.name));
    return { count, remaining: ids.length > BULK_LIMIT };
  }

  async patch(principal: Principal, id: string, dto: PatchJobDto): Promise<JobEntity> {
    await this.jobsService.get(principal, id);
    await this.jobs.update(id, {
      ...(dto.name === undefined ? {} : { name: dto.name }),
      ...(dto.description === undefined ? {} : { description: dto.description }),
      ...(dto.tags === undefined ? {} : { tags: [...new Set(dto.tags)] }),
    });
    return this.reload(id);
  }

  async executions(principal: Principal, id: string): Promise<JobExecutionEntity[]> {
    await this.jobsService.get(principal, id, 'display');
    return this.executionsRepository.executions(id);
  }

  async logs(principal: Principal, id: string, maxItems: number, cursor?: string): Promise<{ lines: JobLogEntity[]; cursor?: string }> {
    await this.jobsService.get(principal, id, 'display');
    let after: string | undefined;
    if (cursor) {
      const payload = this.cursors.decode(cursor, isLogCursor);
      if (payload.job !== id) throw new DomainError('INVALID_CURSOR', 'The cursor belongs to another job.');
      after = payload.after;
    }
    const rows = await this.executionsRepository.logs(id, after, maxItems + 1);
    const lines = rows.slice(0, maxItems);
    const last = lines[lines.length - 1];
    return { lines, cursor: rows.length > maxItems ? this.cursors.encode({ job: id, after: String(last.id) }) : undefined };
  }

  private async reload(id: string): Promise<JobEntity> {
    return (await this.jobs.findById(id)) as JobEntity;
  }
}
