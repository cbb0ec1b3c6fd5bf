import { Injectable } from '@nestjs/common';
import { MoreThan, type QueryDeepPartialEntity } from 'typeorm';
import { Principal } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { CursorCodec } from '../common/paging/cursor-codec';
import { Database } from '../database/database.service';
import { JobExecutionEntity } from '../workers/job-execution.entity';
import { JobLogEntity } from '../workers/job-log.entity';
import { PatchJobDto } from './dto/control.dto';
import { ListJobsQueryDto } from './dto/list-jobs-query.dto';
import { JobEntity } from './job.entity';
import { CONTROL_TRANSITIONS, ControlCommand, JobStatus } from './job-status';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

/** A bulk command touches at most this many jobs per call; `remaining` says to call again. */
export const BULK_LIMIT = 1000;

const isLogCursor = (value: unknown): value is { job: string; after: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { job?: unknown }).job === 'string' &&
  typeof (value as { after?: unknown }).after === 'string';

/** Control operations on jobs (abort, suspend, resume, restart, patch) and their history. */
@Injectable()
export class JobLifecycleService {
  constructor(
    private readonly jobsService: JobsService,
    private readonly jobs: JobsRepository,
    private readonly database: Database,
    private readonly cursors: CursorCodec,
  ) {}

  /**
   * Applies a control command. Answers the job and whether the command was only requested
   * (abort of a RUNNING job: the worker sees it at its next heartbeat).
   */
  async control(principal: Principal, rawId: string, command: ControlCommand): Promise<{ job: JobEntity; requested: boolean }> {
    const job = await this.jobsService.get(principal, rawId);
    const id = String(job.id);
    if (await this.apply(id, command, principal.name)) return { job: await this.reload(id), requested: false };
    if (command === 'abort' && (await this.requestAbort(id, principal.name))) {
      return { job: await this.reload(id), requested: true };
    }
    const current = await this.reload(id);
    throw new DomainError('ILLEGAL_TRANSITION', `Cannot ${command} a job that is ${current.status}.`, {
      extensions: { currentStatus: current.status, allowedFrom: [...CONTROL_TRANSITIONS[command].from] },
    });
  }

  /** Abort or restart every job matching the list filters, up to BULK_LIMIT per call. */
  async bulk(principal: Principal, query: ListJobsQueryDto, command: 'abort' | 'restart') {
    const criteria = this.jobsService.criteriaFor(principal, query);
    const statuses: JobStatus[] = command === 'abort' ? ['SUBMITTED', 'SUSPENDED', 'RUNNING'] : ['ERROR', 'ABORTED'];
    const ids = await this.jobs.findIds(criteria, statuses, BULK_LIMIT + 1);
    let count = 0;
    for (const id of ids.slice(0, BULK_LIMIT)) {
      const done = (await this.apply(id, command, principal.name)) || (command === 'abort' && (await this.requestAbort(id, principal.name)));
      if (done) count++;
    }
    return { count, remaining: ids.length > BULK_LIMIT };
  }

  async patch(principal: Principal, rawId: string, dto: PatchJobDto): Promise<JobEntity> {
    const job = await this.jobsService.get(principal, rawId);
    await this.jobs.update(String(job.id), {
      ...(dto.name === undefined ? {} : { name: dto.name }),
      ...(dto.description === undefined ? {} : { description: dto.description }),
      ...(dto.tags === undefined ? {} : { tags: [...new Set(dto.tags)] }),
    });
    return this.reload(String(job.id));
  }

  async executions(principal: Principal, rawId: string): Promise<JobExecutionEntity[]> {
    const job = await this.jobsService.get(principal, rawId, 'display');
    return this.database.readReplica((manager) =>
      manager.find(JobExecutionEntity, { where: { jobId: String(job.id) }, order: { number: 'ASC' } }),
    );
  }

  async logs(principal: Principal, rawId: string, maxItems: number, cursor?: string) {
    const job = await this.jobsService.get(principal, rawId, 'display');
    const jobId = String(job.id);
    let after: string | undefined;
    if (cursor) {
      const payload = this.cursors.decode(cursor, isLogCursor);
      if (payload.job !== jobId) throw new DomainError('INVALID_CURSOR', 'The cursor belongs to another job.');
      after = payload.after;
    }
    const rows = await this.database.readReplica((manager) =>
      manager.find(JobLogEntity, {
        where: after ? { jobId, id: MoreThan(after) } : { jobId },
        order: { id: 'ASC' },
        take: maxItems + 1,
      }),
    );
    const lines = rows.slice(0, maxItems);
    const last = lines[lines.length - 1];
    return { lines, cursor: rows.length > maxItems ? this.cursors.encode({ job: jobId, after: String(last.id) }) : undefined };
  }

  private apply(id: string, command: ControlCommand, by: string): Promise<boolean> {
    const { from, to } = CONTROL_TRANSITIONS[command];
    const changes = {
      abort: { status: to, statusMessage: `aborted by ${by}`, finishedAt: new Date() },
      suspend: { status: to, statusMessage: `suspended by ${by}` },
      resume: { status: to, statusMessage: `resumed by ${by}`, runAfter: null },
      restart: {
        status: to,
        statusMessage: `restarted by ${by}`,
        attempts: 0,
        abortRequested: false,
        runAfter: null,
        progress: null,
        finishedAt: null,
        result: null,
      },
    }[command] as QueryDeepPartialEntity<JobEntity>;
    return this.jobs.transition(id, from, changes);
  }

  private requestAbort(id: string, by: string): Promise<boolean> {
    return this.jobs.transition(id, ['RUNNING'], { abortRequested: true, statusMessage: `abort requested by ${by}` });
  }

  private async reload(id: string): Promise<JobEntity> {
    return (await this.database.dataSource.manager.findOneBy(JobEntity, { id })) as JobEntity;
  }
}
