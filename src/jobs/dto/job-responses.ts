import type { ApiResponseNoStatusOptions } from '@nestjs/swagger';
import { JobResponseDto } from './job-response.dto';

const JOB_EXAMPLE = {
  id: '1042',
  status: 'SUBMITTED',
  statusMessage: '',
  createdAt: '2026-11-23T10:15:30.123Z',
  updatedAt: '2026-11-23T10:15:30.123Z',
  submittedBy: 'billing',
  queue: 'imports',
  actor: 'ACME',
  contract: 'acme-orders',
  contractType: 'INPUT',
  contractAction: 'import',
  contractActionTrigger: 'ON_DEMAND',
  contractActionWorkflowInstance: {
    id: '0f7c2a7e-5c1d-4f43-9a55-3d0c1f3e8b21',
    workflowTemplateId: '7',
    workflowTemplateName: 'import-orders',
    workflowTemplateRevision: '3',
    workflowTemplateDescription: "Imports the day's orders",
  },
  dfic: { dfiid: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d', lcid: 'req-7f3a', userAttrs: {} },
  extIPID: 'order-2026-11-23-0042',
  actionVariables: { date: '2026-11-23' },
  priority: 0,
  attempts: 0,
  maxAttempts: 3,
  progress: null,
  notBefore: null,
  startedAt: null,
  finishedAt: null,
  result: null,
  name: null,
  description: null,
  tags: [],
  abortRequested: false,
  resubmittedFrom: null,
};

export const SUBMIT_CREATED: ApiResponseNoStatusOptions = {
  type: JobResponseDto,
  description: 'A new job',
  headers: { Location: { description: 'The new job: {contextPath}/job-manager/jobs/{id}', schema: { type: 'string' } } },
  example: JOB_EXAMPLE,
};

export const SUBMIT_REPLAYED: ApiResponseNoStatusOptions = {
  type: JobResponseDto,
  description: 'The existing job for this user, contract, action and extIPID: a retry is safe and answers the same job',
  headers: {
    'Idempotent-Replayed': { description: 'Always "true": this answer replays an earlier submission', schema: { type: 'string', enum: ['true'] } },
    'Idempotency-Mismatch': {
      description: 'Present when the retry carried other actionVariables than the job has (the job is unchanged)',
      schema: { type: 'string', enum: ['actionVariables'] },
    },
  },
  example: { ...JOB_EXAMPLE, status: 'RUNNING', attempts: 1, startedAt: '2026-11-23T10:15:31.004Z' },
};

export const CONTROLLED_JOB: ApiResponseNoStatusOptions = { type: JobResponseDto, description: 'The job after the command' };
