import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Headers, withRoles } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { sampleValue, scrape } from './setup/metrics';
import { canRunPrivateMariaDb, PrivateMariaDb } from './setup/private-mariadb';
import { claim, workerCall } from './setup/workers';

if (!canRunPrivateMariaDb) {
  process.stdout.write('\n*** read-replica tests SKIPPED: mariadbd / mariadb-install-db are not installed ***\n\n');
}

/**
 * A primary and a replica of the test's own (MariaDB GTID replication), and a gateway with
 * DATABASE_URL on the primary and DATABASE_REPLICA_URLS on the replica. Reads are told apart by
 * making the replica differ: replication stopped, or a row changed on the replica alone.
 */
describe.skipIf(!canRunPrivateMariaDb)('read replicas: list and detail on the replica, everything else on the primary', () => {
  let primary: PrivateMariaDb;
  let replica: PrivateMariaDb;
  let t: TestApp;
  let admin: Headers;
  let worker: Headers;

  async function replicaCaughtUp() {
    const [{ position }] = await primary.query<{ position: string }[]>('SELECT @@gtid_binlog_pos AS position');
    const [{ waited }] = await replica.query<{ waited: number }[]>('SELECT MASTER_GTID_WAIT(?, 30) AS waited', [position]);
    expect(waited).toBe(0);
  }

  const list = async (query: Record<string, string>) =>
    (await request(t.server).get(t.path('/job-manager/jobs')).query(query).set(admin).expect(200)).body.jobs as { id: string; name?: string }[];
  const detail = async (id: string) => (await request(t.server).get(t.path(`/job-manager/jobs/${id}`)).set(admin).expect(200)).body;

  beforeAll(async () => {
    [primary, replica] = await Promise.all([
      PrivateMariaDb.create({ serverId: 1, binaryLog: true }),
      PrivateMariaDb.create({ serverId: 2 }),
    ]);
    await replica.query(
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos`,
    );
    await replica.query('START SLAVE');
    t = await createTestApp({
      database: { url: primary.url(), dialect: 'mysql', drop: async () => undefined },
      env: { DATABASE_REPLICA_URLS: replica.url(), REAPER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' },
    });
    admin = await withRoles('submitter', ['Administrators']);
    worker = await withRoles('worker-1', ['Workers']);
    await putContract(t, 'replicated', contractBody({ actions: [{ name: 'run', queue: 'replicated', workflowTemplate: { id: '1', name: 'w', revision: '1' } }] }));
    await replicaCaughtUp();
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all([primary?.destroy(), replica?.destroy()]);
  });

  it('replicates what the gateway writes, and lists it', async () => {
    const created = await submit(t, admin, { contractName: 'replicated', actionName: 'run', extIPID: 'seen-everywhere' }).expect(201);
    await replicaCaughtUp();
    expect((await list({ extIPID: 'seen-everywhere' })).map((job) => job.id)).toEqual([created.body.id]);
  });

  it('answers list and detail from the replica, and writes through the primary', async () => {
    const [job] = await list({ extIPID: 'seen-everywhere' });
    await replica.query("UPDATE test.jobs SET name = 'on the replica only' WHERE id = ?", [job.id]);
    expect((await detail(job.id)).name).toBe('on the replica only');
    expect((await list({ extIPID: 'seen-everywhere' }))[0].name).toBe('on the replica only');

    const patched = await request(t.server).patch(t.path(`/job-manager/jobs/${job.id}`)).set(admin).send({ name: 'patched' }).expect(200);
    expect(patched.body.name).toBe('patched');
    const [row] = await primary.query<{ name: string }[]>('SELECT name FROM test.jobs WHERE id = ?', [job.id]);
    expect(row.name).toBe('patched');
  });

  describe('with replication stopped (a replica far behind)', () => {
    let stale: string;

    beforeAll(async () => {
      await replica.query('STOP SLAVE');
      stale = (await submit(t, admin, { contractName: 'replicated', actionName: 'run', extIPID: 'primary-only' }).expect(201)).body.id;
    });

    it('lists from the replica, which does not have the new job yet', async () => {
      expect(await list({ extIPID: 'primary-only' })).toEqual([]);
    });

    it('answers the duplicate with 409 and the job from the primary', async () => {
      const duplicate = await submit(t, admin, { contractName: 'replicated', actionName: 'run', extIPID: 'primary-only' }).expect(409);
      expect(duplicate.headers['idempotent-replayed']).toBe('true');
      expect(duplicate.body.id).toBe(stale);
    });

    it('finds a job the replica lacks on the primary before answering 404', async () => {
      expect((await detail(stale)).id).toBe(stale);
    });

    it('claims, completes and controls jobs on the primary', async () => {
      const [claimed] = await claim(t, worker, { queues: ['replicated'], maxJobs: 5, leaseSeconds: 30 });
      expect(claimed).toBeDefined();
      await workerCall(t, worker, claimed.id, 'complete', { leaseToken: claimed.lease.token }).expect(200);
      const next = (await submit(t, admin, { contractName: 'replicated', actionName: 'run' }).expect(201)).body.id;
      const aborted = await request(t.server).post(t.path(`/job-manager/jobs/${next}/abort`)).set(admin).expect(200);
      expect(aborted.body.status).toBe('ABORTED');
    });

    it('reports a pool per server in /metrics', async () => {
      const samples = await scrape(t, await withRoles('prometheus', ['Monitoring']));
      expect(sampleValue(samples, 'gateway_db_pool_max_connections', { pool: 'primary' })).toBe(t.config.database.poolSize);
      expect(sampleValue(samples, 'gateway_db_pool_max_connections', { pool: 'replica0' })).toBe(t.config.database.poolSize);
    });

    it('reads from the primary when the replica is down', async () => {
      await replica.stop();
      expect((await list({ extIPID: 'primary-only' })).map((job) => job.id)).toEqual([stale]);
      expect((await detail(stale)).id).toBe(stale);
    });

    it('heals after the primary restarts, however many requests failed meanwhile', async () => {
      await primary.stop();
      // More failures than mysql2's removeNodeErrorCount (5), which would drop the primary for good.
      for (let i = 0; i < 8; i++) {
        expect((await submit(t, admin, { contractName: 'replicated', actionName: 'run' })).status).toBe(503);
      }
      await primary.start();
      let status = 0;
      for (let attempt = 0; attempt < 40 && status !== 201; attempt++) {
        status = (await submit(t, admin, { contractName: 'replicated', actionName: 'run' })).status;
        if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(status).toBe(201);
    });
  });
});
