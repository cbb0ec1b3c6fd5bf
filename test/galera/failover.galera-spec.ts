import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractBody, putContract } from '../setup/contracts';
import type { TestApp } from '../setup/create-test-app';
import { canRunGalera, type GaleraCluster } from '../setup/galera-cluster';
import { failoverDatabases, servedCluster, type ServedCluster } from './support/gateways';

const SUBMISSIONS = 300;
const CLIENTS_PER_GATEWAY = 2;
const PAUSE_MS = 60;
const CONNECT_TIMEOUT_MS = 1000;
const LOAD_DEADLINE_MS = 60_000;
const FAILBACK_DEADLINE_MS = 30_000;

interface Attempt {
  gateway: number;
  key: string;
  status: number;
  id?: string;
  at: number;
  took: number;
}

interface LoadResult {
  attempts: Attempt[];
  loadMs: number;
  /** When `disrupt` was called. */
  disruptedAt: number;
  /** Per gateway: ms from the disruption to its last failed answer (503 or network error); 0 when none. */
  windows: number[];
}

const acknowledged = (attempt: Attempt) => attempt.status === 201 || attempt.status === 409;

/** Scenario 3 of docs/galera.md, "Tests and figures": a node killed or cut off under submit load; its gateway moves to the next node, and back. */
describe.skipIf(!canRunGalera)('a gateway fails over when its preferred Galera node dies, and fails back', () => {
  let served: ServedCluster;
  let cluster: GaleraCluster;
  let apps: TestApp[] = [];
  let urls: string[];
  let authorization: string;

  beforeAll(async () => {
    served = await servedCluster('gw_failover', {
      env: { DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS) },
      nodesFor: (started, databases) => failoverDatabases(started, databases, 'gw_failover'),
    });
    ({ cluster, apps, urls, authorization } = served);
    await putContract(apps[0], 'failover', contractBody({ actions: [{ name: 'go', workflowTemplate: { id: '1', name: 'w', revision: '1' } }] }));
  });

  afterAll(async () => {
    await served?.stop();
  });

  /** One attempt; a network error counts as status 0. */
  async function submit(gateway: number, key: string): Promise<Attempt> {
    const sent = Date.now();
    try {
      const response = await fetch(`${urls[gateway]}/job-manager/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ contractName: 'failover', actionName: 'go', extIPID: key }),
      });
      const body = (await response.json()) as { id?: string };
      return { gateway, key, status: response.status, id: body.id, at: Date.now(), took: Date.now() - sent };
    } catch {
      return { gateway, key, status: 0, at: Date.now(), took: Date.now() - sent };
    }
  }

  async function portOfGateway(gateway: number): Promise<number> {
    const [row] = (await apps[gateway].dataSource.query('SELECT @@port AS port')) as { port: number | string }[];
    return Number(row.port);
  }

  /**
   * `count` submissions from two clients per gateway, each keeping to its gateway and retrying the same
   * extIPID at once (ignoring Retry-After, so the window shows); `disrupt` runs once a third is acknowledged.
   */
  async function submitUnder(prefix: string, count: number, disrupt: () => Promise<void>): Promise<LoadResult> {
    const attempts: Attempt[] = [];
    const deadline = Date.now() + LOAD_DEADLINE_MS;
    const client = async (gateway: number, keys: string[]) => {
      for (const key of keys) {
        for (;;) {
          const attempt = await submit(gateway, key);
          attempts.push(attempt);
          if (acknowledged(attempt) || Date.now() > deadline) break;
          await sleep(20);
        }
        await sleep(PAUSE_MS);
      }
    };
    const clients = urls.length * CLIENTS_PER_GATEWAY;
    const keys = Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
    const started = Date.now();
    const load = Promise.all(
      Array.from({ length: clients }, (_, index) => client(index % urls.length, keys.filter((_, key) => key % clients === index))),
    );
    while (attempts.filter(acknowledged).length < count / 3 && Date.now() < deadline) await sleep(20);
    const disruptedAt = Date.now();
    await disrupt();
    await load;
    const windows = urls.map((_, gateway) => {
      const failed = attempts.filter((attempt) => attempt.gateway === gateway && !acknowledged(attempt) && attempt.at >= disruptedAt);
      return failed.length === 0 ? 0 : Math.max(...failed.map((attempt) => attempt.at)) - disruptedAt;
    });
    return { attempts, loadMs: Date.now() - started, disruptedAt, windows };
  }

  /** Every answer 201, 409 or 503 (none before the disruption), and exactly one job per extIPID, the one each 201/409 named. */
  async function expectNoLostOrDoubledJob(prefix: string, count: number, { attempts, disruptedAt }: LoadResult) {
    const failed = attempts.filter((attempt) => !acknowledged(attempt));
    expect(failed.filter((attempt) => attempt.status !== 503)).toEqual([]);
    expect(failed.filter((attempt) => attempt.at < disruptedAt)).toEqual([]);
    // Node 3 is the one neither scenario disrupts.
    const rows = await cluster.nodes[2].query<{ extIPID: string; id: unknown }[]>(
      `SELECT ext_ipid AS extIPID, id FROM gw_failover.jobs WHERE ext_ipid LIKE '${prefix}-%'`,
      [],
      { causal: true },
    );
    expect(new Set(rows.map((row) => row.extIPID)).size).toBe(rows.length);
    expect(rows).toHaveLength(count);
    const jobOf = new Map(rows.map((row) => [row.extIPID, String(row.id)]));
    expect(attempts.filter((attempt) => acknowledged(attempt) && jobOf.get(attempt.key) !== attempt.id)).toEqual([]);
  }

  function describeLoad(count: number, { attempts, loadMs, disruptedAt, windows }: LoadResult): string {
    const statuses = new Map<number, number>();
    for (const attempt of attempts) statuses.set(attempt.status, (statuses.get(attempt.status) ?? 0) + 1);
    const slowest = Math.max(...attempts.filter((attempt) => attempt.at >= disruptedAt).map((attempt) => attempt.took));
    return (
      `${attempts.length} attempts for ${count} submissions in ${loadMs} ms, answers ${JSON.stringify(Object.fromEntries(statuses))}; ` +
      `503 window per gateway: ${windows.join(' / ')} ms; slowest answer after it ${slowest} ms`
    );
  }

  /** Submits through the gateway (traffic drives the probe and closes connections to the fallback at release) until its pool is on `node`. */
  async function waitUntilGatewayUses(gateway: number, node: number): Promise<number> {
    const started = Date.now();
    let port = 0;
    for (let round = 0; port !== cluster.nodes[node].port && Date.now() - started < FAILBACK_DEADLINE_MS; round++) {
      expect([201, 409]).toContain((await submit(gateway, `back-${gateway}-${started}-${round}`)).status);
      port = await portOfGateway(gateway);
      if (port !== cluster.nodes[node].port) await sleep(100);
    }
    expect(port).toBe(cluster.nodes[node].port);
    return Date.now() - started;
  }

  async function connectionsOn(node: number): Promise<number> {
    const [{ connections }] = await cluster.nodes[node].query<{ connections: number }[]>(
      "SELECT COUNT(*) AS connections FROM information_schema.PROCESSLIST WHERE DB = 'gw_failover'",
    );
    return Number(connections);
  }

  it(`kill -9 of node 1 under ${SUBMISSIONS} submissions: no 500, no lost or doubled job, a short 503 window; node 1 used again once back`, async () => {
    let evictedAfter = 0;
    const result = await submitUnder('kill', SUBMISSIONS, async () => {
      const killedAt = Date.now();
      await cluster.nodes[0].kill();
      await cluster.waitForSize(2);
      evictedAfter = Date.now() - killedAt;
    });
    console.log(`galera: kill -9 of node 1 (evicted from the view after ${evictedAfter} ms): ${describeLoad(SUBMISSIONS, result)}`);
    await expectNoLostOrDoubledJob('kill', SUBMISSIONS, result);
    // Gateway 1 answers from node 2 once its connections to node 1 failed: a refused or timed-out connect marks node 1 down.
    expect(Math.max(...result.windows)).toBeLessThan(3 * CONNECT_TIMEOUT_MS);
    expect(await portOfGateway(0)).not.toBe(cluster.nodes[0].port);

    const restartedAt = Date.now();
    await cluster.nodes[0].start();
    const rejoinedMs = Date.now() - restartedAt;
    const failbackMs = await waitUntilGatewayUses(0, 0);
    const connections = await connectionsOn(0);
    console.log(`galera: node 1 restarted and synced in ${rejoinedMs} ms; gateway 1 back on it ${failbackMs} ms later, with ${connections} connection(s)`);
    expect(connections).toBeGreaterThan(0);
  });

  it(`node 2 cut off from the others (wsrep_ready=OFF, errno 1047) under ${SUBMISSIONS / 2} submissions: its gateway moves, and comes back after the rejoin`, async () => {
    let nonPrimaryAfter = 0;
    const node = cluster.nodes[1];
    const result = await submitUnder('isolate', SUBMISSIONS / 2, async () => {
      const isolatedAt = Date.now();
      await node.query("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'");
      for (let ready = 'ON'; ready !== 'OFF' && Date.now() - isolatedAt < LOAD_DEADLINE_MS; await sleep(100)) {
        ready = (await node.status()).wsrep_ready;
      }
      nonPrimaryAfter = Date.now() - isolatedAt;
    });
    console.log(`galera: node 2 isolated (wsrep_ready=OFF after ${nonPrimaryAfter} ms): ${describeLoad(SUBMISSIONS / 2, result)}`);
    await expectNoLostOrDoubledJob('isolate', SUBMISSIONS / 2, result);
    // Commits on the cut-off node wait until it sees it is alone; its first 1047 then sends the gateway to node 3.
    expect(Math.max(...result.windows)).toBeLessThan(nonPrimaryAfter + 3 * CONNECT_TIMEOUT_MS);
    expect(await portOfGateway(1)).not.toBe(node.port);

    const rejoinStarted = Date.now();
    await node.query("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'");
    await node.waitUntilReady(LOAD_DEADLINE_MS);
    const rejoinedMs = Date.now() - rejoinStarted;
    const failbackMs = await waitUntilGatewayUses(1, 1);
    console.log(`galera: node 2 rejoined in ${rejoinedMs} ms; gateway 2 back on it ${failbackMs} ms later, with ${await connectionsOn(1)} connection(s)`);
  });
});
