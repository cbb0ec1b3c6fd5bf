import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { ActionsService } from '../actions/actions.service';
import { validateVariables } from '../actions/variables';
import { Principal } from '../auth/principal';
import { PermissionsService } from '../auth/permissions/permissions.service';
import { DomainError } from '../common/errors/domain-error';
import { SubmitJobDto } from './dto/submit-job.dto';
import { computeIpid } from './ipid';
import { JobEntity } from './job.entity';
import { JobsRepository } from './jobs.repository';

export type SubmitOutcome =
  | { kind: 'created'; job: JobEntity }
  | { kind: 'duplicate'; job: JobEntity; variablesDiffer: boolean };

const MAX_JOB_ID = 9223372036854775807n;

/** Parses a job id from a path: a positive 64-bit integer written in digits, or a 400. */
export function parseJobId(raw: string): string {
  if (/^\d{1,19}$/.test(raw)) {
    const value = BigInt(raw);
    if (value > 0n && value <= MAX_JOB_ID) return value.toString();
  }
  throw new DomainError('VALIDATION_FAILED', 'The job id must be a positive 64-bit integer.', {
    errors: [{ field: 'id', message: 'must be a positive 64-bit integer written in digits' }],
  });
}

@Injectable()
export class JobsService {
  constructor(
    private readonly actions: ActionsService,
    private readonly jobs: JobsRepository,
    private readonly permissions: PermissionsService,
  ) {}

  /**
   * Submits a job, idempotently: the IPID's UNIQUE index decides whether this submission creates
   * the job or answers the existing one. Everything that can refuse the request runs before the
   * insert, so a refused request reserves nothing (docs/idempotency.md).
   */
  async submit(principal: Principal, dto: SubmitJobDto, correlationId: string): Promise<SubmitOutcome> {
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
    const ipid = dto.extIPID === undefined ? null : computeIpid(principal.name, contract.name, action.name, dto.extIPID);
    const job: Omit<JobEntity, 'id'> = {
      ipid,
      status: 'SUBMITTED',
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
      priority: action.priority,
      attempts: 0,
      maxAttempts: action.maxAttempts,
      timeoutSeconds: action.timeoutSeconds,
    };

    // Twice at most: the existing job could be purged between our insert and our read.
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = await this.jobs.insertUnlessDuplicate(job);
      if (outcome.created) return { kind: 'created', job: { ...job, id: outcome.id } };
      const existing = await this.jobs.findByIpid(ipid as string);
      if (existing) {
        return {
          kind: 'duplicate',
          job: existing,
          variablesDiffer: !isDeepStrictEqual(existing.actionVariables, variables.value),
        };
      }
    }
    throw new DomainError('CONFLICT', 'The submission conflicted with a concurrent change; retry it.');
  }

  /** One job; a caller without JOBS_ALL sees only its own (others answer 404, revealing nothing). */
  async get(principal: Principal, rawId: string): Promise<JobEntity> {
    const job = await this.jobs.findById(parseJobId(rawId));
    if (!job || !this.maySee(principal, job)) {
      throw new DomainError('JOB_NOT_FOUND', `No job with id ${rawId}.`);
    }
    return job;
  }

  private maySee(principal: Principal, job: JobEntity): boolean {
    return job.submittedBy === principal.name || this.permissions.allows('JOBS_ALL', principal.roles);
  }
}
