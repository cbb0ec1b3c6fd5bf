import request from 'supertest';
import { JobEntity } from '../../src/jobs/job.entity';
import type { Headers } from './auth';
import type { TestApp } from './create-test-app';

export interface ClaimedJob {
  id: string;
  status: string;
  attempts: number;
  lease: { token: string; expiresAt: string };
  execution: { number: number };
  [field: string]: unknown;
}

export async function claim(
  t: TestApp,
  headers: Headers,
  body: { workerId?: string; queues: string[]; maxJobs?: number; leaseSeconds?: number; waitSeconds?: number },
): Promise<ClaimedJob[]> {
  const response = await request(t.server)
    .post(t.path('/job-manager/workers/claim'))
    .set(headers)
    .send({ workerId: 'test-worker', ...body });
  if (response.status !== 200) throw new Error(`claim: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.jobs;
}

export function workerCall(t: TestApp, headers: Headers, id: string, action: 'heartbeat' | 'complete' | 'fail' | 'logs', body: object) {
  return request(t.server).post(t.path(`/job-manager/jobs/${id}/${action}`)).set(headers).send(body);
}

/** Makes the job's lease (and retry delay) lie in the past, as if time had passed. */
export async function expireLease(t: TestApp, id: string) {
  await setJob(t, id, { leaseExpiresAt: new Date(Date.now() - 60_000) });
}

/** Clears a retry backoff, as if its delay had passed. */
export async function makeReady(t: TestApp, id: string) {
  await setJob(t, id, { runAfter: null });
}

async function setJob(t: TestApp, id: string, changes: Partial<Pick<JobEntity, 'leaseExpiresAt' | 'runAfter'>>) {
  await t.dataSource.createQueryBuilder().update(JobEntity).set(changes).where('id = :id', { id }).execute();
}
