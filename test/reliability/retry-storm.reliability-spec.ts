import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, hasMysql, TestDatabase } from '../setup/test-database';
import { bearer, scenarioFolder, startGateways } from './support/cluster';
import { jobsByExtIpid } from './support/database';
import { writeFigures } from './support/figures';
import { Gateway, serverErrorsLogged } from './support/processes';
import { inParallel, seededRandom, submitWithRetries } from './support/submitter';

const UNIQUE_KEYS = 3_600;
const DUPLICATES = 1_600;
const CONCURRENCY = 48;
/** This share of first attempts is abandoned after a few milliseconds, as by a client whose timeout is too short. */
const IMPATIENT_SHARE = 0.05;

describe.skipIf(!hasMysql)('retry storm: 3 gateways, duplicates and client retries on timeouts', () => {
  let database: TestDatabase;
  let gateways: Gateway[];

  beforeAll(async () => {
    database = await createTestDatabase();
    gateways = await startGateways(3, scenarioFolder('retry-storm'), database.url);
  });

  afterAll(async () => {
    await Promise.all((gateways ?? []).map((gateway) => gateway.stop()));
    await database?.drop();
  });

  it('gives every acknowledged extIPID exactly one job, and answers no 5xx', async () => {
    const random = seededRandom(8);
    const keys = Array.from({ length: UNIQUE_KEYS }, (_, index) => `storm-${index}`);
    // Duplicates pick keys near their original in the shuffled order, so many race it in flight.
    const shots = [...keys];
    for (let index = 0; index < DUPLICATES; index++) shots.push(keys[Math.floor(random() * UNIQUE_KEYS)]);
    for (let index = shots.length - 1; index > 0; index--) {
      const other = Math.floor(random() * Math.min(index + 1, 64)) + Math.max(0, index - 63);
      [shots[index], shots[other]] = [shots[other], shots[index]];
    }
    const authorization = await bearer('storm-client', ['Administrators']);
    const started = Date.now();
    const submissions = await inParallel(shots, CONCURRENCY, (extIPID, index) =>
      submitWithRetries(extIPID, index, {
        apis: gateways.map((gateway) => gateway.api),
        authorization,
        timeoutMs: 15_000,
        maxAttempts: 6,
        firstAttemptTimeoutMs: () => (random() < IMPATIENT_SHARE ? 2 + Math.floor(random() * 20) : undefined),
      }),
    );
    const durationMs = Date.now() - started;

    const attempts = submissions.flatMap((submission) => submission.attempts);
    const serverErrors = attempts.filter((attempt) => (attempt.status ?? 0) >= 500);
    const clientTimeouts = attempts.filter((attempt) => attempt.error === 'client-timeout').length;
    const stored = await jobsByExtIpid(database.url);
    const unacknowledged = submissions.filter((submission) => !submission.acknowledged);
    const wrongJob = submissions.filter(
      (submission) => submission.acknowledged && stored.get(submission.extIPID)?.[0] !== submission.acknowledged.jobId,
    );
    const keysWithSeveralJobs = [...stored.values()].filter((ids) => ids.length > 1).length;
    const lost = keys.filter((key) => !stored.has(key)).length;
    const replayedWithoutHeader = attempts.filter((attempt) => attempt.status === 409 && !attempt.replayed).length;

    writeFigures({
      scenario: 'retry-storm',
      title: 'Retry storm',
      requests: attempts.length,
      duplicates: DUPLICATES,
      faultsInjected: [`${clientTimeouts} client timeouts, each retried on another gateway`],
      jobsLost: lost,
      serverErrors: serverErrors.length,
      durationMs,
      details: {
        gateways: gateways.length,
        submissions: shots.length,
        uniqueKeys: UNIQUE_KEYS,
        answered201: attempts.filter((attempt) => attempt.status === 201).length,
        answered409: attempts.filter((attempt) => attempt.status === 409).length,
        clientTimeouts,
        jobsInDatabase: [...stored.values()].reduce((sum, ids) => sum + ids.length, 0),
        keysWithSeveralJobs,
        acknowledgedWithAnotherJob: wrongJob.length,
        unacknowledged: unacknowledged.length,
      },
    });

    expect(serverErrors, JSON.stringify(serverErrors.slice(0, 5))).toEqual([]);
    expect(gateways.flatMap((gateway) => serverErrorsLogged(gateway.logFile))).toEqual([]);
    expect(unacknowledged.map((submission) => submission.attempts), 'every submission ends in 201 or 409').toEqual([]);
    expect(keysWithSeveralJobs).toBe(0);
    expect(stored.size).toBe(UNIQUE_KEYS);
    expect(wrongJob).toEqual([]);
    expect(replayedWithoutHeader).toBe(0);
    // The storm must have exercised what it claims to: lost acknowledgements and racing duplicates.
    expect(clientTimeouts).toBeGreaterThan(0);
    expect(attempts.filter((attempt) => attempt.status === 409).length).toBeGreaterThanOrEqual(DUPLICATES);
  });
});
