import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { ActionsService, validateVariables, type MismatchPolicy, type VariableDeclaration } from '../catalogue';
import { Principal } from '../common/principal';
import { DomainError } from '../common/errors/domain-error';
import { SubmitJobDto } from './dto/submit-job.dto';
import { computeIpid } from './ipid';
import { JobEntity } from './job.entity';
import { JobSignals } from './job-signals';
import { JobStatus } from './job-status';
import type { NewJobEvent } from './job-timeline.repository';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { SubmissionBatcher } from './submission-batcher';
import type { BatchOutcome } from './job-inserts.repository';

/** A duplicate whose holder is not readable yet is inserted again, at most this often in all. */
const MAX_INSERT_ATTEMPTS = 5;

export type SubmitOutcome =
  | { kind: 'created'; job: JobEntity }
  | { kind: 'duplicate'; job: JobEntity; variablesDiffer: boolean };

/** What a validate-only submission answers: the job it would make, and whether it would replay one. */
export interface SubmissionCheck {
  job: Omit<JobEntity, 'id'>;
  existing: JobEntity | null;
}

/** The execution fields of a job nobody has claimed yet. */
export const NOT_STARTED = {
  abortRequested: false,
  executionCount: 0,
  leaseToken: null,
  leaseExpiresAt: null,
  leaseSeconds: null,
  executionDeadline: null,
  workerId: null,
  runAfter: null,
  notBefore: null,
  progress: null,
  startedAt: null,
  finishedAt: null,
  result: null,
  name: null,
  description: null,
  tags: null,
  resubmittedFrom: null,
} satisfies Partial<JobEntity>;

/** The submitted variables declared secret; null when there are none. */
function secretNames(declarations: readonly VariableDeclaration[], values: Record<string, unknown>): string[] | null {
  const names = declarations.filter((declaration) => declaration.secret && Object.hasOwn(values, declaration.name)).map((declaration) => declaration.name);
  return names.length > 0 ? names : null;
}

/** Submit, validate-only and resubmit: every way a job is made (docs/idempotency.md). */
@Injectable()
export class JobSubmissionsService {
  constructor(
    private readonly actions: ActionsService,
    private readonly jobs: JobsRepository,
    private readonly jobsService: JobsService,
    private readonly signals: JobSignals,
    private readonly batcher: SubmissionBatcher,
  ) {}

  /** Submits a job idempotently; everything that can refuse runs before the insert (docs/idempotency.md). */
  async submit(principal: Principal, dto: SubmitJobDto, correlationId: string, resubmittedFrom?: string): Promise<SubmitOutcome> {
    const { job, onMismatch } = await this.prepare(principal, dto, correlationId, resubmittedFrom);
    const differ = (existing: JobEntity) => !isDeepStrictEqual(existing.actionVariables, job.actionVariables);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.insertOnce(principal, job, onMismatch, correlationId, differ);
      if (outcome.created) {
        this.signals.submitted(job.queue);
        return { kind: 'created', job: { ...job, id: outcome.id } };
      }
      if (outcome.existing) {
        assertMismatchAllowed(onMismatch, outcome.existing, differ(outcome.existing));
        return { kind: 'duplicate', job: outcome.existing, variablesDiffer: differ(outcome.existing) };
      }
      // The key's holder was not readable yet (its transaction still open, or rolled back): insert again (docs/benchmarks.md, "Group commit").
      if (attempt >= MAX_INSERT_ATTEMPTS) throw new DomainError('CONFLICT', 'The submission conflicted with a concurrent change; retry it.');
      await new Promise((resolve) => setTimeout(resolve, attempt * 5));
    }
  }

  private insertOnce(
    principal: Principal,
    job: Omit<JobEntity, 'id'>,
    onMismatch: MismatchPolicy,
    correlationId: string,
    differ: (existing: JobEntity) => boolean,
  ): Promise<BatchOutcome> {
    return this.batcher.insert({
      job,
      events: (result) => {
        if (result.created) return submittedEvents(principal, job, result.id);
        if (!result.existing) return [];
        const variablesDiffer = differ(result.existing);
        const rejected = variablesDiffer && onMismatch === 'REJECT' ? { rejected: true } : {};
        return [
          {
            jobId: String(result.existing.id),
            type: 'job.replayed',
            actor: principal.name,
            data: { variablesEqual: !variablesDiffer, correlationId, ...rejected },
          },
        ];
      },
    });
  }

  /** The same checks as a submit, writing nothing (docs/api.md, "Validate-only"). */
  async validate(principal: Principal, dto: SubmitJobDto, correlationId: string): Promise<SubmissionCheck> {
    const { job, onMismatch } = await this.prepare(principal, dto, correlationId);
    const existing = job.ipid === null ? null : await this.jobs.findByIpid(job.ipid);
    if (existing) assertMismatchAllowed(onMismatch, existing, !isDeepStrictEqual(existing.actionVariables, job.actionVariables));
    return { job, existing };
  }

  /** A new job of the source's contract action, its variables overridden by `actionVariables` (docs/events.md, "Resubmit"). */
  async resubmit(
    principal: Principal,
    sourceId: string,
    change: { actionVariables?: Record<string, unknown>; extIPID?: string },
    correlationId: string,
  ): Promise<SubmitOutcome> {
    const source = await this.jobsService.get(principal, sourceId);
    const dto: SubmitJobDto = {
      contractName: source.contract,
      actionName: source.contractAction,
      actionVariables: { ...source.actionVariables, ...change.actionVariables },
      ...(change.extIPID === undefined ? {} : { extIPID: change.extIPID }),
      userAttrs: source.userAttrs,
    };
    return this.submit(principal, dto, correlationId, String(source.id));
  }

  private async prepare(
    principal: Principal,
    dto: SubmitJobDto,
    correlationId: string,
    resubmittedFrom?: string,
  ): Promise<{ job: Omit<JobEntity, 'id'>; onMismatch: MismatchPolicy }> {
    const { contract, action } = await this.actions.findForSubmission(dto.contractName, dto.actionName);
    if (action.allowedRoles.length > 0 && !principal.roles.some((role) => action.allowedRoles.includes(role))) {
      throw new DomainError('FORBIDDEN', `Your roles may not submit "${dto.actionName}" of "${dto.contractName}".`, {
        extensions: { allowedRoles: action.allowedRoles },
      });
    }
    const variables = validateVariables(action.variables, dto.actionVariables ?? {}, 'actionVariables');
    if (!variables.ok) {
      throw new DomainError('VALIDATION_FAILED', 'The action variables do not match the action.', {
        errors: variables.errors,
      });
    }

    const now = new Date();
    const job: Omit<JobEntity, 'id'> = {
      ipid: dto.extIPID === undefined ? null : computeIpid(principal.name, contract.name, action.name, dto.extIPID),
      status: JobStatus.SUBMITTED,
      statusMessage: '',
      createdAt: now,
      updatedAt: now,
      submittedBy: principal.name,
      queue: action.queue,
      actor: contract.actor,
      contract: contract.name,
      contractType: contract.type,
      contractAction: action.name,
      contractActionTrigger: action.trigger,
      workflowInstanceId: randomUUID(),
      workflowTemplateId: action.workflowTemplate.id,
      workflowTemplateName: action.workflowTemplate.name,
      workflowTemplateRevision: action.workflowTemplate.revision,
      workflowTemplateDescription: action.workflowTemplate.description,
      dfiid: randomUUID(),
      lcid: correlationId,
      userAttrs: dto.userAttrs ?? {},
      extIPID: dto.extIPID ?? null,
      actionVariables: variables.value,
      secretVariables: secretNames(action.variables, variables.value),
      priority: action.priority,
      attempts: 0,
      maxAttempts: action.maxAttempts,
      timeoutSeconds: action.timeoutSeconds,
      ...NOT_STARTED,
      notBefore: dto.notBefore ?? null,
      runAfter: dto.notBefore && dto.notBefore > now ? dto.notBefore : null,
      resubmittedFrom: resubmittedFrom ?? null,
    };
    return { job, onMismatch: action.onMismatch };
  }
}

/** `job.submitted` on the new job, and `job.resubmitted` on its source when it is a resubmission. */
function submittedEvents(principal: Principal, job: Omit<JobEntity, 'id'>, id: string): NewJobEvent[] {
  const submitted: NewJobEvent = {
    jobId: id,
    type: 'job.submitted',
    actor: principal.name,
    data: {
      queue: job.queue,
      correlationId: job.lcid,
      ...(job.extIPID === null ? {} : { extIPID: job.extIPID }),
      ...(job.notBefore === null ? {} : { notBefore: job.notBefore.toISOString() }),
      ...(job.resubmittedFrom === null ? {} : { resubmittedFrom: job.resubmittedFrom }),
    },
  };
  if (job.resubmittedFrom === null) return [submitted];
  return [submitted, { jobId: job.resubmittedFrom, type: 'job.resubmitted', actor: principal.name, data: { newJobId: id } }];
}

/** REJECT refuses a duplicate whose variables differ, naming the existing job (docs/idempotency.md, "Variables that differ"). */
function assertMismatchAllowed(policy: MismatchPolicy, existing: JobEntity, variablesDiffer: boolean) {
  if (policy !== 'REJECT' || !variablesDiffer) return;
  throw new DomainError('IDEMPOTENCY_MISMATCH', `Job ${existing.id} was submitted with this key and other action variables.`, {
    extensions: { existingJobId: String(existing.id) },
  });
}
