import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import type { TestApp } from './setup/create-test-app';
import { Instances, startInstances } from './setup/instances';
import { hasMysql } from './setup/test-database';

const JOBS = 200;
const WORKERS = 8;

describe(`concurrent claims across two instances (${hasMysql ? 'MariaDB' : 'SQLite'})`, () => {
  let instances: Instances;
  let apps: TestApp[];
  let urls: string[];
  let authorization: string;

  beforeAll(async () => {
    instances = await startInstances(2);
    ({ apps, urls } = instances);
    authorization = (await bearer({ sub: 'fleet', roles: ['Administrators'] }, { expiresIn: '10m' })).Authorization;
    await putContract(apps[0], 'fleet', contractBody({ actions: [{ name: 'go', queue: 'fleet', workflowTemplate: { id: '1', name: 'w', revision: '1' } }] }));
  });

  afterAll(async () => {
    await instances.close();
  });

  async function post(url: string, body: object) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it(`${WORKERS} workers drain ${JOBS} jobs: no job handed out twice, each completed once`, async () => {
    for (let index = 0; index < JOBS; index++) {
      const created = await post(`${urls[index % 2]}/job-manager/jobs`, { contractName: 'fleet', actionName: 'go' });
      expect(created.status).toBe(201);
    }
    const claimedBy = new Map<string, string[]>();
    const worker = async (index: number) => {
      const base = urls[index % urls.length];
      for (;;) {
        const claimed = await post(`${base}/job-manager/workers/claim`, { workerId: `w${index}`, queues: ['fleet'], maxJobs: 5 });
        expect(claimed.status).toBe(200);
        const jobs = claimed.body.jobs as { id: string; lease: { token: string } }[];
        if (jobs.length === 0) return;
        for (const job of jobs) {
          claimedBy.set(job.id, [...(claimedBy.get(job.id) ?? []), `w${index}`]);
          const done = await post(`${base}/job-manager/jobs/${job.id}/complete`, { leaseToken: job.lease.token });
          expect(done.status).toBe(200);
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index)));

    expect(claimedBy.size).toBe(JOBS);
    expect([...claimedBy.values()].filter((holders) => holders.length > 1)).toEqual([]);
    const [{ completed }] = await apps[0].dataSource.query("SELECT COUNT(*) AS completed FROM jobs WHERE status = 'COMPLETED'");
    expect(Number(completed)).toBe(JOBS);
    const [{ executions }] = await apps[0].dataSource.query('SELECT COUNT(*) AS executions FROM job_executions');
    expect(Number(executions)).toBe(JOBS);
  });
});
