import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from 'mysql2/promise';
import { canRunGalera, GaleraCluster } from '../setup/galera-cluster';

describe.skipIf(!canRunGalera)('Galera cluster helper', () => {
  let cluster: GaleraCluster;

  beforeAll(async () => {
    const started = Date.now();
    cluster = await GaleraCluster.start();
    console.log(`galera: 3 nodes synced in ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    await cluster?.destroy();
  });

  it('replicates a write on one node to the others, seen at once with wsrep_sync_wait', async () => {
    await cluster.nodes[0].query('CREATE TABLE test.ping (id INT PRIMARY KEY, note VARCHAR(20))');
    await cluster.nodes[1].query("INSERT INTO test.ping VALUES (1, 'from node 2')");
    for (const node of cluster.nodes) {
      const rows = await node.query<{ note: string }[]>('SELECT note FROM test.ping', [], { causal: true });
      expect(rows).toEqual([{ note: 'from node 2' }]);
    }
  });

  it('grants GET_LOCK on two nodes at once: it is node-local, no cluster-wide mutex', async () => {
    const holders = await Promise.all(
      cluster.nodes.slice(0, 2).map((node) => createConnection({ uri: node.url(), connectTimeout: 1000 })),
    );
    try {
      const answers = await Promise.all(
        holders.map((connection) =>
          connection.query("SELECT GET_LOCK('galera_probe', 1) AS acquired").then(
            ([rows]) => String((rows as { acquired: unknown }[])[0].acquired),
            (error: { errno?: number }) => `error ${error.errno}`,
          ),
        ),
      );
      console.log(`galera: GET_LOCK on two nodes answered ${answers.join(', ')}`);
      expect(answers).not.toEqual(['1', '0']);
    } finally {
      await Promise.all(holders.map((connection) => connection.end()));
    }
  });

  it('rejoins a node killed with SIGKILL', async () => {
    await cluster.nodes[2].kill();
    await cluster.waitForSize(2);
    const started = Date.now();
    await cluster.nodes[2].start();
    await cluster.waitForSize(3);
    console.log(`galera: killed node rejoined in ${Date.now() - started} ms`);
    const rows = await cluster.nodes[2].query<{ note: string }[]>('SELECT note FROM test.ping', [], { causal: true });
    expect(rows).toHaveLength(1);
  });
});
