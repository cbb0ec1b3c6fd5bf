import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractBody, putContract } from '../setup/contracts';
import type { TestApp } from '../setup/create-test-app';
import { canRunGalera, type GaleraCluster } from '../setup/galera-cluster';
import { servedCluster, type ServedCluster } from './support/gateways';

const ROUNDS = 150;

/** docs/galera.md, "Tests and figures": a job acknowledged by the gateway on one node is readable at once through another. */
describe.skipIf(!canRunGalera)('read-your-writes across Galera nodes', () => {
  let served: ServedCluster;
  let cluster: GaleraCluster;
  let apps: TestApp[] = [];
  let urls: string[];
  let authorization: string;

  beforeAll(async () => {
    served = await servedCluster('gw_reads');
    ({ cluster, apps, urls, authorization } = served);
    await putContract(apps[0], 'reads', contractBody({ actions: [{ name: 'go', workflowTemplate: { id: '1', name: 'w', revision: '1' }, variables: [{ name: 'padding', type: 'string' }] }] }));
  });

  afterAll(async () => {
    await served?.stop();
  });

  it(`${ROUNDS} times: 201 from one node, then the job through the next node`, async () => {
    const headers = { 'content-type': 'application/json', authorization };
    const missed: string[] = [];
    const started = Date.now();
    // A padded variable makes each write-set bigger, so a lagging node would show.
    const padding = 'x'.repeat(2000);
    await Promise.all(
      [0, 1, 2].map(async (writer) => {
        for (let round = writer; round < ROUNDS; round += 3) {
          const created = await fetch(`${urls[writer]}/job-manager/jobs`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ contractName: 'reads', actionName: 'go', extIPID: `r-${round}`, actionVariables: { padding } }),
          });
          expect(created.status).toBe(201);
          const { id } = (await created.json()) as { id: string };
          const reader = urls[(writer + 1) % 3];
          const detail = await fetch(`${reader}/job-manager/jobs/${id}`, { headers });
          if (detail.status !== 200) missed.push(`detail ${id}: ${detail.status}`);
        }
      }),
    );
    console.log(`galera: ${ROUNDS} submit-then-read-elsewhere rounds in ${Date.now() - started} ms`);
    expect(missed).toEqual([]);
  });

  it('waits for a node whose applier is held back instead of answering 404', async () => {
    const headers = { 'content-type': 'application/json', authorization };
    // A table lock on node 2 holds back its applier: node 1 commits, node 2 has not applied the row yet.
    const blocker = await createConnection({ uri: cluster.nodes[1].url('gw_reads') });
    try {
      await blocker.query('LOCK TABLES jobs READ');
      const created = await fetch(`${urls[0]}/job-manager/jobs`, { method: 'POST', headers, body: JSON.stringify({ contractName: 'reads', actionName: 'go', extIPID: 'held-back' }) });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const started = Date.now();
      const detail = fetch(`${urls[1]}/job-manager/jobs/${id}`, { headers });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await blocker.query('UNLOCK TABLES');
      expect((await detail).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    } finally {
      await blocker.end();
    }
  });
});
