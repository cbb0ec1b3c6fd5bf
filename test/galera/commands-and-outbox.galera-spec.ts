import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractBody, putContract } from '../setup/contracts';
import type { TestApp } from '../setup/create-test-app';
import { canRunGalera, type GaleraCluster } from '../setup/galera-cluster';
import { startReceiver } from '../setup/webhook-receiver';
import { servedCluster, type ServedCluster } from './support/gateways';

const TEMPLATE = { id: '1', name: 'w', revision: '1' };
const RACED_JOBS = 30;
const HOOKED_JOBS = 60;
const SCHEDULE_SECONDS = 8;

type Answer = { status: number; body: Record<string, unknown> };

/** The other write paths of docs/galera.md, "Tests and figures": control commands, the scheduler and the webhook outbox, racing over three nodes. */
describe.skipIf(!canRunGalera)('commands, schedules and webhooks with one gateway per Galera node', () => {
  let served: ServedCluster;
  let cluster: GaleraCluster;
  let apps: TestApp[] = [];
  let urls: string[];
  let authorization: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    served = await servedCluster('gw_paths', { env: { SCHEDULER_ENABLED: 'true', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_INTERVAL_MS: '200' } });
    ({ cluster, apps, urls, authorization } = served);
    for (const name of ['raced', 'hooked']) await putContract(apps[0], name, contractBody({ actions: [{ name: 'go', queue: name, workflowTemplate: TEMPLATE }] }));
    await putContract(apps[0], 'ticks', { type: 'OUTPUT', actor: 'ACME', actions: [] });
  });

  afterAll(async () => {
    await served?.stop();
    await receiver?.close();
  });

  async function call(node: number, method: string, path: string, body?: object): Promise<Answer> {
    const response = await fetch(`${urls[node]}${path}`, {
      method,
      headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  }

  /** A causal read on node 1: sees every write committed anywhere before it. */
  const causal = <T>(sql: string) => cluster.nodes[0].query<T>(`SELECT ${sql}`, [], { causal: true });

  it(`races abort, suspend and resume on each of ${RACED_JOBS} jobs over the three nodes: no 5xx, and each job's timeline holds exactly the changes answered 200`, async () => {
    const ids: string[] = [];
    for (let index = 0; index < RACED_JOBS; index++) {
      const created = await call(index % 3, 'POST', '/job-manager/jobs', { contractName: 'raced', actionName: 'go' });
      expect(created.status).toBe(201);
      ids.push(String(created.body.id));
    }
    await causal('1');
    const commands = ['abort', 'suspend', 'resume'] as const;
    const answers = await Promise.all(
      ids.map(async (id, index) => {
        // Each job gets the three commands at once, each through another node, the order rotating per job.
        const results = await Promise.all(commands.map((command, offset) => call((index + offset) % 3, 'POST', `/job-manager/jobs/${id}/${command}`)));
        return { id, results: commands.map((command, offset) => ({ command, status: results[offset].status })) };
      }),
    );
    const statuses = answers.flatMap((answer) => answer.results.map((result) => result.status));
    expect(statuses.filter((status) => status !== 200 && status !== 409)).toEqual([]);
    const byType = { abort: 'job.aborted', suspend: 'job.suspended', resume: 'job.resumed' };
    for (const { id, results } of answers) {
      const events = (await call(0, 'GET', `/job-manager/jobs/${id}/events`)).body.events as { type: string }[];
      for (const { command, status } of results) {
        expect(events.filter((event) => event.type === byType[command]).length, `${id} ${command} answered ${status}`).toBe(status === 200 ? 1 : 0);
      }
      // Abort is legal from SUBMITTED and SUSPENDED alike, whichever command went first: it always wins in the end.
      expect(results[0].status, id).toBe(200);
      expect((await call(1, 'GET', `/job-manager/jobs/${id}`)).body.status, id).toBe('ABORTED');
    }
    console.log(`galera: ${RACED_JOBS} × (abort, suspend, resume) over 3 nodes: ${statuses.filter((status) => status === 200).length} × 200, ${statuses.filter((status) => status === 409).length} × 409`);
  });

  it(`runs a per-second schedule on all three nodes for ${SCHEDULE_SECONDS} s: one job per fire`, async () => {
    const schedule = (enabled: boolean) =>
      call(0, 'PUT', '/contracts/ticks/actions/tick', {
        trigger: 'TIME',
        queue: 'ticks',
        workflowTemplate: TEMPLATE,
        schedule: { cron: '* * * * * *', enabled },
      });
    expect((await schedule(true)).status).toBe(201);
    await sleep(SCHEDULE_SECONDS * 1000);
    expect((await schedule(false)).status).toBe(200);
    // Each instance reads the change on its next tick; let a tick already under way finish.
    await sleep(2500);
    const rows = await causal<{ ext: string; n: number | string }[]>(
      "ext_ipid AS ext, COUNT(*) AS n FROM gw_paths.jobs WHERE submitted_by = 'system:scheduler' GROUP BY ext_ipid",
    );
    console.log(`galera: per-second schedule on 3 nodes: ${rows.length} fires, ${rows.reduce((sum, row) => sum + Number(row.n), 0)} jobs`);
    expect(rows.filter((row) => Number(row.n) !== 1)).toEqual([]);
    // On a loaded machine a tick may come late and fires be fewer; what this proves is one job per fire.
    expect(rows.length).toBeGreaterThanOrEqual(SCHEDULE_SECONDS - 3);
  });

  it(`delivers the ${HOOKED_JOBS} submissions' events through the outbox of three nodes, each once`, async () => {
    const hook = await call(0, 'POST', '/admin/webhooks', { url: `${receiver.url}/galera`, events: ['job.submitted'], contracts: ['hooked'] });
    expect(hook.status).toBe(201);
    const jobs = await Promise.all(Array.from({ length: HOOKED_JOBS }, (_, index) => call(index % 3, 'POST', '/job-manager/jobs', { contractName: 'hooked', actionName: 'go' })));
    expect(jobs.map((job) => job.status).filter((status) => status !== 201)).toEqual([]);
    const deadline = Date.now() + 30_000;
    while (receiver.at('/galera').length < HOOKED_JOBS && Date.now() < deadline) await sleep(100);
    // Long enough for a second delivery of any event to arrive, were there one.
    await sleep(1500);
    const received = receiver.at('/galera');
    const deliveredJobs = received.map((entry) => String((JSON.parse(entry.body) as { data: { job: { id: unknown } } }).data.job.id));
    console.log(`galera: ${received.length} webhook requests for ${HOOKED_JOBS} events, fanned out and sent by 3 nodes`);
    expect(new Set(deliveredJobs)).toEqual(new Set(jobs.map((job) => String(job.body.id))));
    expect(new Set(received.map((entry) => entry.headers['webhook-id'])).size).toBe(received.length);
    expect(received).toHaveLength(HOOKED_JOBS);
    const deliveries = await causal<{ status: string; attempts: number | string }[]>(`status, attempts FROM gw_paths.webhook_deliveries WHERE webhook_id = ${Number(hook.body.id)}`);
    expect(deliveries.filter((delivery) => delivery.status !== 'SUCCEEDED' || Number(delivery.attempts) !== 1)).toEqual([]);
  });
});
