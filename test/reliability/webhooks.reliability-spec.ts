import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, hasMysql, TestDatabase } from '../setup/test-database';
import { bearer, CONTRACT, JWT_SECRET, scenarioFolder, startGateways } from './support/cluster';
import { writeFigures } from './support/figures';
import { Gateway, serverErrorsLogged, startGateway } from './support/processes';
import { submitOnce } from './support/submitter';

const JOBS = 30;
const TIMEOUT_MS = 2_000;
const WEBHOOK_ENV = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_INTERVAL_MS: '200',
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
  WEBHOOK_CONCURRENCY: '5',
};

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered?: number;
}

/** fail: 503 to everything; hold: never answer (the attempt is in flight); ok: 204. */
type Mode = 'fail' | 'hold' | 'ok';

describe.skipIf(!hasMysql)('webhooks: a failing receiver and a kill -9 of the delivering gateway', () => {
  let database: TestDatabase;
  let folder: string;
  const gateways: Gateway[] = [];
  let mode: Mode = 'fail';
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const entry: Received = { headers: request.headers, body };
      received.push(entry);
      if (mode === 'hold') return void held.push(response);
      entry.answered = mode === 'fail' ? 503 : 204;
      response.writeHead(entry.answered).end();
    });
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    folder = scenarioFolder('webhooks');
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    // Only the first gateway delivers until it is killed; the second takes submissions and fans out nothing.
    gateways.push(...(await startGateways(1, folder, database.url, WEBHOOK_ENV)));
    gateways.push(await startGateway('gateway-2', folder, { DATABASE_URL: database.url, AUTH_JWT_SECRET: JWT_SECRET, CONTRACTS_FILE: 'none', WEBHOOK_INTERVAL_MS: '0' }));
  });

  afterAll(async () => {
    for (const response of held) response.destroy();
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await database?.drop();
  });

  it('delivers every event at least once, signed, with one webhook-id per delivery', async () => {
    const started = Date.now();
    const authorization = await bearer('webhooks-admin', ['Administrators']);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
    const created = await fetch(`${gateways[0].api}/admin/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ url, events: ['job.submitted'], contracts: [CONTRACT] }),
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };

    const jobIds: string[] = [];
    for (let index = 0; index < JOBS; index++) {
      const answer = await submitOnce(gateways[index % 2].api, authorization, `webhook-${index}`, 15_000);
      expect(answer.status).toBe(201);
      jobIds.push(answer.jobId ?? '');
    }
    // The receiver fails for a while: every delivery is attempted and backs off.
    await sleep(3_000);
    const failedAttempts = received.length;
    expect(failedAttempts).toBeGreaterThan(0);
    // Then attempts hang: kill -9 the only delivering gateway while some are in flight.
    mode = 'hold';
    for (let waited = 0; held.length === 0 && waited < 20_000; waited += 100) await sleep(100);
    expect(held.length).toBeGreaterThan(0);
    const inFlight = held.map((response) => response.req.headers['webhook-id']);
    gateways[0].signal('SIGKILL');
    await gateways[0].exited;
    for (const response of held.splice(0)) response.destroy();
    mode = 'ok';
    // A new instance delivers; the killed one's leases run out after WEBHOOK_TIMEOUT_MS + 5 s.
    gateways.push(await startGateway('gateway-3', folder, { DATABASE_URL: database.url, AUTH_JWT_SECRET: JWT_SECRET, CONTRACTS_FILE: 'none', ...WEBHOOK_ENV }));

    const acknowledged = () => new Set(received.filter((entry) => entry.answered === 204).map((entry) => JSON.parse(entry.body).data.job.id as string));
    for (let waited = 0; acknowledged().size < JOBS && waited < 60_000; waited += 250) await sleep(250);

    expect([...acknowledged()].sort()).toEqual([...jobIds].sort());
    const verifier = new Webhook(secret);
    const idsByJob = new Map<string, Set<string>>();
    for (const entry of received) {
      expect(() => verifier.verify(entry.body, entry.headers as Record<string, string>)).not.toThrow();
      const jobId = JSON.parse(entry.body).data.job.id as string;
      idsByJob.set(jobId, (idsByJob.get(jobId) ?? new Set()).add(String(entry.headers['webhook-id'])));
    }
    // One delivery per event: every attempt for a job carried the same webhook-id.
    for (const ids of idsByJob.values()) expect(ids.size).toBe(1);
    // The attempts cut short by the kill were sent again and acknowledged.
    for (const id of inFlight) expect(received.some((entry) => entry.headers['webhook-id'] === id && entry.answered === 204)).toBe(true);

    const acknowledgements = received.filter((entry) => entry.answered === 204).length;
    const serverErrors = gateways.flatMap((gateway) => serverErrorsLogged(gateway.logFile)).length;
    expect(serverErrors).toBe(0);
    writeFigures({
      scenario: 'webhooks',
      title: 'Webhooks: failing receiver, kill -9 of the sender',
      requests: received.length,
      duplicates: acknowledgements - JOBS,
      faultsInjected: [`receiver answered 503 for 3 s (${failedAttempts} attempts)`, `kill -9 with ${inFlight.length} attempt(s) in flight`],
      jobsLost: JOBS - acknowledged().size,
      serverErrors,
      durationMs: Date.now() - started,
      details: { events: JOBS, attempts: received.length, inFlightAtKill: inFlight.length, acknowledgements },
    });
  });
});
