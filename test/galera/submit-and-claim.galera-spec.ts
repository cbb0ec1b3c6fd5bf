import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { asAdmin } from '../setup/auth';
import { contractBody, putContract } from '../setup/contracts';
import type { TestApp } from '../setup/create-test-app';
import { canRunGalera, type GaleraCluster } from '../setup/galera-cluster';
import { servedCluster, type ServedCluster } from './support/gateways';

const BURSTS = 100;
const SHOTS_PER_NODE = 3;
const JOBS = 150;

interface Answer {
  status: number;
  id?: string;
  code?: string;
}

/** Scenarios 1 and 2 of docs/galera.md, "Tests and figures": one gateway per node, racing on the same keys and jobs. */
describe.skipIf(!canRunGalera)('three gateways, one per Galera node', () => {
  let served: ServedCluster;
  let cluster: GaleraCluster;
  let apps: TestApp[] = [];
  let urls: string[];
  let authorization: string;

  beforeAll(async () => {
    served = await servedCluster('gw_race');
    ({ cluster, apps, urls, authorization } = served);
    await putContract(apps[0], 'race', contractBody({ actions: [{ name: 'go', workflowTemplate: { id: '1', name: 'w', revision: '1' } }] }));
    await putContract(apps[0], 'narrow', contractBody({ actions: [{ name: 'go', queue: 'narrow', workflowTemplate: { id: '1', name: 'w', revision: '1' } }] }));
    await request(apps[0].server).put(apps[0].path('/job-manager/queues/narrow')).set(asAdmin()).send({ parallelism: 1 }).expect(200);
    await putContract(apps[0], 'fleet', contractBody({ actions: [{ name: 'go', queue: 'fleet', workflowTemplate: { id: '1', name: 'w', revision: '1' } }] }));
  });

  afterAll(async () => {
    await served?.stop();
  });

  async function post(url: string, body: object): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function fire(extIPID: string, node: number): Promise<Answer> {
    const { status, body } = await post(`${urls[node]}/job-manager/jobs`, { contractName: 'race', actionName: 'go', extIPID });
    return { status, id: body.id as string | undefined, code: body.code as string | undefined };
  }

  it(`${BURSTS} bursts of identical submissions over the three nodes: one job per key, every answer 201 or 409 naming it`, async () => {
    const started = Date.now();
    const answers: (Answer & { key: string })[] = [];
    for (let wave = 0; wave < BURSTS; wave += 10) {
      const keys = Array.from({ length: 10 }, (_, index) => `burst-${wave + index}`);
      const shots = keys.flatMap((key) => Array.from({ length: SHOTS_PER_NODE * urls.length }, (_, shot) => ({ key, node: shot % urls.length })));
      answers.push(...(await Promise.all(shots.map(({ key, node }) => fire(key, node).then((answer) => ({ key, ...answer }))))));
    }
    console.log(`galera: ${answers.length} submissions in ${BURSTS} bursts over 3 nodes in ${Date.now() - started} ms`);
    const statuses = new Map<string, number>();
    for (const answer of answers) statuses.set(`${answer.status} ${answer.code ?? ''}`, (statuses.get(`${answer.status} ${answer.code ?? ''}`) ?? 0) + 1);
    console.log(`galera: answers ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(answers.filter((answer) => ![201, 409].includes(answer.status))).toEqual([]);
    await apps[0].dataSource.query('SET SESSION wsrep_sync_wait = 1');
    const rows = (await apps[0].dataSource.query("SELECT ext_ipid AS extIPID, id FROM jobs WHERE ext_ipid LIKE 'burst-%'")) as { extIPID: string; id: unknown }[];
    expect(rows).toHaveLength(BURSTS);
    const jobOf = new Map(rows.map((row) => [row.extIPID, String(row.id)]));
    for (let burst = 0; burst < BURSTS; burst++) {
      const key = `burst-${burst}`;
      const forKey = answers.filter((answer) => answer.key === key);
      expect(forKey.filter((answer) => answer.status === 201), key).toHaveLength(1);
      expect(forKey.every((answer) => answer.id === jobOf.get(key)), key).toBe(true);
    }
  });

  it(`workers on all three gateways drain ${JOBS} jobs: no double claim, each completed once`, async () => {
    for (let index = 0; index < JOBS; index++) {
      expect((await post(`${urls[index % 3]}/job-manager/jobs`, { contractName: 'fleet', actionName: 'go' })).status).toBe(201);
    }
    const claimedBy = new Map<string, string[]>();
    const failures: string[] = [];
    const worker = async (index: number) => {
      const base = urls[index % urls.length];
      for (let idle = 0; idle < 3; ) {
        const claimed = await post(`${base}/job-manager/workers/claim`, { workerId: `w${index}`, queues: ['fleet'], maxJobs: 5 });
        if (claimed.status !== 200) failures.push(`claim ${claimed.status} ${JSON.stringify(claimed.body)}`);
        const jobs = (claimed.body.jobs ?? []) as { id: string; lease: { token: string } }[];
        // Another node may not have applied the last completions yet: stop after a few empty claims.
        idle = jobs.length === 0 ? idle + 1 : 0;
        for (const job of jobs) {
          claimedBy.set(job.id, [...(claimedBy.get(job.id) ?? []), `w${index}`]);
          const done = await post(`${base}/job-manager/jobs/${job.id}/complete`, { leaseToken: job.lease.token });
          if (done.status !== 200) failures.push(`complete ${done.status} ${JSON.stringify(done.body)}`);
        }
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: 9 }, (_, index) => worker(index)));
    console.log(`galera: 9 workers over 3 nodes drained ${JOBS} jobs in ${Date.now() - started} ms`);
    expect(failures).toEqual([]);
    expect([...claimedBy.values()].filter((holders) => holders.length > 1)).toEqual([]);
    expect(claimedBy.size).toBe(JOBS);
    await apps[1].dataSource.query('SET SESSION wsrep_sync_wait = 1');
    const [{ completed }] = await apps[1].dataSource.query("SELECT COUNT(*) AS completed FROM jobs WHERE status = 'COMPLETED' AND queue = 'fleet'");
    expect(Number(completed)).toBe(JOBS);
    const [{ executions }] = await apps[1].dataSource.query('SELECT COUNT(*) AS executions FROM job_executions');
    expect(Number(executions)).toBe(JOBS);
  });

  it('keeps a queue of parallelism 1 to one RUNNING job while claims race on the three nodes', async () => {
    for (let index = 0; index < 20; index++) {
      expect((await post(`${urls[index % 3]}/job-manager/jobs`, { contractName: 'narrow', actionName: 'go' })).status).toBe(201);
    }
    await cluster.nodes[0].query('SELECT 1 FROM gw_race.jobs LIMIT 1', [], { causal: true });
    let rounds = 0;
    for (let completed = 0; completed < 20 && rounds < 60; rounds++) {
      const claims = await Promise.all(urls.map((url, node) => post(`${url}/job-manager/workers/claim`, { workerId: `n${node}`, queues: ['narrow'], maxJobs: 1 })));
      expect(claims.map((claim) => claim.status)).toEqual([200, 200, 200]);
      const jobs = claims.flatMap((claim, node) => ((claim.body.jobs ?? []) as { id: string; lease: { token: string } }[]).map((job) => ({ ...job, node })));
      expect(jobs.length, `round ${rounds}`).toBeLessThanOrEqual(1);
      for (const job of jobs) {
        expect((await post(`${urls[job.node]}/job-manager/jobs/${job.id}/complete`, { leaseToken: job.lease.token })).status).toBe(200);
        completed++;
      }
    }
    console.log(`galera: parallelism 1 held over ${rounds} racing claim rounds`);
  });
});
