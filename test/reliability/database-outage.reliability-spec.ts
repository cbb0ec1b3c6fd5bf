import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunPrivateMariaDb, PrivateMariaDb } from '../setup/private-mariadb';
import { ACTION, bearer, CONTRACT, scenarioFolder, startGateways } from './support/cluster';
import { jobsByExtIpid } from './support/database';
import { writeFigures } from './support/figures';
import { Gateway } from './support/processes';
import { inParallel, submitWithRetries } from './support/submitter';

const CONCURRENCY = 12;
const OUTAGE_MS = 6_000;
const RETRY_AFTER_SECONDS = '2';
/** "Bounded": far above the 1 s connect timeout, far below a TCP or pool default. */
const ANSWER_BOUND_MS = 15_000;

interface Shot {
  extIPID: string;
  gateway: number;
  sentAt: number;
  durationMs: number;
  status?: number;
  error?: string;
  retryAfter?: string | null;
  jobId?: string;
}

describe.skipIf(!canRunPrivateMariaDb)('database outage: a private MariaDB stopped, then killed, and started again under load', () => {
  let database: PrivateMariaDb;
  let gateways: Gateway[];

  beforeAll(async () => {
    database = await PrivateMariaDb.create();
    gateways = await startGateways(2, scenarioFolder('database-outage'), database.url(), {
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_RETRY_AFTER_SECONDS: RETRY_AFTER_SECONDS,
    });
  });

  afterAll(async () => {
    await Promise.all((gateways ?? []).map((gateway) => gateway.stop()));
    await database?.destroy();
  });

  it('answers 503 with Retry-After while the database is down, recovers by itself, loses no acknowledged job', async () => {
    const authorization = await bearer('outage-client', ['Administrators']);
    const pids = gateways.map((gateway) => gateway.pid);
    const started = Date.now();
    const shots: Shot[] = [];
    let running = true;
    let next = 0;
    const load = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (running) {
          const index = next++;
          const shot: Shot = { extIPID: `outage-${index}`, gateway: index % gateways.length, sentAt: Date.now() - started, durationMs: 0 };
          try {
            const response = await fetch(`${gateways[shot.gateway].api}/job-manager/jobs`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization },
              body: JSON.stringify({ contractName: CONTRACT, actionName: ACTION, extIPID: shot.extIPID }),
              signal: AbortSignal.timeout(ANSWER_BOUND_MS),
            });
            shot.status = response.status;
            shot.retryAfter = response.headers.get('retry-after');
            shot.jobId = ((await response.json()) as { id?: string }).id;
          } catch (error) {
            shot.error = error instanceof Error ? error.name : String(error);
          }
          shot.durationMs = Date.now() - started - shot.sentAt;
          shots.push(shot);
          if (shot.status === 503) await sleep(100);
        }
      }),
    );

    const now = () => Date.now() - started;
    const firstCreatedSince = (since: number) =>
      gateways.map((_, gateway) => shots.find((shot) => shot.gateway === gateway && shot.status === 201 && shot.sentAt >= since));
    // A clean shutdown, then a crash (InnoDB recovers at the next start): the pool must heal from both.
    // stoppingAt: the stop was asked for; downAt: the server is gone (a clean shutdown still commits what it has in hand).
    const outages: { how: 'stopped' | 'killed'; stoppingAt: number; downAt: number; upAt: number; backAt: number; recoveredBy: number }[] = [];
    await sleep(3_000);
    for (const how of ['stopped', 'killed'] as const) {
      const stoppingAt = now();
      await (how === 'stopped' ? database.stop() : database.kill());
      const downAt = now();
      await sleep(OUTAGE_MS);
      const upAt = now();
      await database.start();
      const backAt = now();
      // Recovered: every gateway has created a job again since the database came back.
      const deadline = Date.now() + 60_000;
      while (firstCreatedSince(backAt).some((shot) => !shot) && Date.now() < deadline) await sleep(200);
      const recoveredBy = Math.max(...firstCreatedSince(backAt).map((shot) => (shot ? shot.sentAt + shot.durationMs : Infinity)));
      outages.push({ how, stoppingAt, downAt, upAt, backAt, recoveredBy });
      await sleep(2_000);
    }
    running = false;
    await load;

    const end = (shot: Shot) => shot.sentAt + shot.durationMs;
    const whileDown = shots.filter((shot) => outages.some((outage) => shot.sentAt >= outage.downAt && end(shot) <= outage.upAt));
    const outsideOutage = shots.filter((shot) => outages.every((outage) => end(shot) < outage.stoppingAt || shot.sentAt > outage.recoveredBy));
    const acknowledged = shots.filter((shot) => shot.status === 201 || shot.status === 409);
    const refused = shots.filter((shot) => shot.status === 503);
    const afterOutage = await jobsByExtIpid(database.url(), 'outage-');
    const lost = acknowledged.filter((shot) => afterOutage.get(shot.extIPID)?.[0] !== shot.jobId);
    // The refused submissions, retried as a client would: each gets its one job, even if its 503 raced a commit.
    const retried = await inParallel(refused, CONCURRENCY, (shot, index) =>
      submitWithRetries(shot.extIPID, index, { apis: gateways.map((gateway) => gateway.api), authorization, timeoutMs: ANSWER_BOUND_MS, maxAttempts: 4 }),
    );
    const stored = await jobsByExtIpid(database.url(), 'outage-');
    const durationMs = Date.now() - started;

    writeFigures({
      scenario: 'database-outage',
      title: 'Database outage',
      requests: shots.length + retried.reduce((sum, retry) => sum + retry.attempts.length, 0),
      duplicates: 0,
      faultsInjected: outages.map(
        (outage) =>
          `MariaDB ${outage.how === 'stopped' ? 'shut down' : 'killed (kill -9)'}, down ${((outage.upAt - outage.downAt) / 1000).toFixed(1)} s under load`,
      ),
      jobsLost: lost.length,
      serverErrors: outsideOutage.filter((shot) => (shot.status ?? 0) >= 500).length,
      durationMs,
      details: {
        gateways: gateways.length,
        answeredWhileDown: whileDown.length,
        answered503: refused.length,
        answered500: shots.filter((shot) => shot.status === 500).length,
        slowest503Ms: Math.max(0, ...refused.map((shot) => shot.durationMs)),
        ...Object.fromEntries(outages.map((outage) => [`recoveredMsAfterStart (${outage.how})`, outage.recoveredBy - outage.backAt])),
        acknowledged: acknowledged.length,
        retriedAfterOutage: retried.length,
        retriedFoundAlreadyStored: retried.filter((retry) => retry.acknowledged?.status === 409).length,
      },
    });

    expect(shots.filter((shot) => shot.error !== undefined || ![201, 409, 503].includes(shot.status ?? 0))).toEqual([]);
    expect(whileDown.length, 'requests must have been answered during the outage').toBeGreaterThan(0);
    expect(whileDown.filter((shot) => shot.status !== 503)).toEqual([]);
    expect(refused.filter((shot) => shot.retryAfter !== RETRY_AFTER_SECONDS)).toEqual([]);
    expect(outages.map((outage) => [outage.how, Number.isFinite(outage.recoveredBy)]), 'every gateway creates jobs again without a restart').toEqual([
      ['stopped', true],
      ['killed', true],
    ]);
    expect(gateways.map((gateway) => gateway.alive() && gateway.pid)).toEqual(pids);
    expect(outsideOutage.filter((shot) => (shot.status ?? 0) >= 500)).toEqual([]);
    expect(lost).toEqual([]);
    expect(retried.filter((retry) => retry.acknowledged?.jobId !== stored.get(retry.extIPID)?.[0])).toEqual([]);
    expect([...stored.values()].filter((ids) => ids.length > 1)).toEqual([]);
  });
});
