import { randomUUID } from 'node:crypto';
import type { JobEntity } from '../../src/jobs/job.entity';
import { JobInsertsRepository } from '../../src/jobs/job-inserts.repository';
import { NOT_STARTED } from '../../src/jobs/job-submissions.service';
import type { TestApp } from '../setup/create-test-app';

export type NewJob = Omit<JobEntity, 'id'>;

/** A complete job row with plausible values; override what the test is about. */
export function buildJob(overrides: Partial<NewJob> = {}): NewJob {
  const now = new Date();
  return {
    ipid: null,
    status: 'SUBMITTED',
    statusMessage: '',
    createdAt: now,
    updatedAt: now,
    submittedBy: 'alice',
    queue: 'default',
    actor: 'ACME',
    contract: 'acme-orders',
    contractType: 'INPUT',
    contractAction: 'import',
    contractActionTrigger: 'ON_DEMAND',
    workflowInstanceId: randomUUID(),
    workflowTemplateId: '7',
    workflowTemplateName: 'import-orders',
    workflowTemplateRevision: '3',
    workflowTemplateDescription: '',
    dfiid: randomUUID(),
    lcid: randomUUID(),
    userAttrs: {},
    extIPID: null,
    actionVariables: {},
    secretVariables: null,
    priority: 0,
    attempts: 0,
    maxAttempts: 3,
    timeoutSeconds: null,
    ...NOT_STARTED,
    ...overrides,
  };
}

/** Inserts jobs straight through the repository (the submit path's own insert) and answers them with ids. */
export async function createJobs(t: TestApp, jobs: NewJob[]): Promise<JobEntity[]> {
  const repository = t.app.get(JobInsertsRepository);
  const created: JobEntity[] = [];
  for (const job of jobs) {
    const [outcome] = await repository.insertBatch([{ job, events: () => [] }]);
    if (!outcome.created) throw new Error('factory job collided on its IPID');
    created.push({ ...job, id: outcome.id });
  }
  return created;
}
