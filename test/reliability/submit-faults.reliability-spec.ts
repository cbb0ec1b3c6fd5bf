import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, hasMysql, TestDatabase } from '../setup/test-database';
import { bearer, scenarioFolder, startGateways } from './support/cluster';
import { jobsByExtIpid } from './support/database';
import { writeFigures } from './support/figures';
import { Gateway, serverErrorsLogged } from './support/processes';
import { seededRandom } from '../setup/seeded-random';
import { Attempt, inParallel, submitOnce, submitWithRetries } from './support/submitter';

const STORM_KEYS = 3_600;
const STORM_CONCURRENCY = 48;
/** This share of first attempts is abandoned after a few milliseconds, as by a client whose timeout is too short. */
const IMPATIENT_SHARE = 0.05;

const CRASH_KEYS = 1_200;
const CRASH_DUPLICATES = 240;
const CRASH_CONCURRENCY = 36;
/** The victim dies once this many answers have come back, so it has requests in flight. */
const KILL_AFTER_ANSWERS = 400;

/**
 * Two scenarios on the same three gateway processes and database (each with its own keys), which
 * saves a round of start-ups on a small machine. The crash comes last: it kills one of them.
 */
describe.skipIf(!hasMysql)('submissions under faults: 3 gateway processes on one MariaDB database', () => {
  let database: TestDatabase;
  let gateways: Gateway[];

  beforeAll(async () => {
    database = await createTestDatabase();
    gateways = await startGateways(3, scenarioFolder('submit-faults'), database.url);
  });

  afterAll(async () => {
    await Promise.all((gateways ?? []).map((gateway) => gateway.stop()));
    await database?.drop();
  });

  it('retry storm: gives every acknowledged extIPID exactly one job, and answers no 5xx', async () => {
    const random = seededRandom(8);
    const keys = Array.from({ length: STORM_KEYS }, (_, index) => `storm-${index}`);
    // 4 keys in 9 get a duplicate a few places after its original: with 48 in flight, the two race.
    const shots: string[] = [];
    keys.forEach((key, index) => {
      shots.push(key);
      if (index % 9 < 4) shots.push(keys[Math.max(0, index - Math.floor(random() * 8))]);
    });
    const authorization = await bearer('storm-client', ['Administrators']);
    const started = Date.now();
    const submissions = await inParallel(shots, STORM_CONCURRENCY, (extIPID, index) =>
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
    const stored = await jobsByExtIpid(database.url, 'storm-');
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
      duplicates: shots.length - STORM_KEYS,
      faultsInjected: [`${clientTimeouts} client timeouts, each retried on another gateway`],
      jobsLost: lost,
      serverErrors: serverErrors.length,
      durationMs,
      details: {
        gateways: gateways.length,
        submissions: shots.length,
        uniqueKeys: STORM_KEYS,
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
    expect(stored.size).toBe(STORM_KEYS);
    expect(wrongJob).toEqual([]);
    expect(replayedWithoutHeader).toBe(0);
    // The storm must have exercised what it claims to: lost acknowledgements and racing duplicates.
    expect(clientTimeouts).toBeGreaterThan(0);
    expect(shots.length).toBeGreaterThanOrEqual(5_000);
    expect(attempts.filter((attempt) => attempt.status === 409).length).toBeGreaterThanOrEqual(shots.length - STORM_KEYS);
  });

  it('crash mid-flight (kill -9 of one gateway): keeps every answered job exactly once, and retries against the survivors never make a second job', async () => {
    const random = seededRandom(9);
    const keys = Array.from({ length: CRASH_KEYS }, (_, index) => `crash-${index}`);
    const shots = [...keys, ...Array.from({ length: CRASH_DUPLICATES }, () => keys[Math.floor(random() * CRASH_KEYS)])];
    shots.sort(() => random() - 0.5);
    const authorization = await bearer('crash-client', ['Administrators']);
    const [victim, ...survivors] = gateways;
    const started = Date.now();

    let answers = 0;
    let killedAt: number | undefined;
    const firstTries = await inParallel(shots, CRASH_CONCURRENCY, async (extIPID, index): Promise<Attempt> => {
      const gateway = index % gateways.length;
      const answer = await submitOnce(gateways[gateway].api, authorization, extIPID, 15_000);
      if (answer.status !== undefined && ++answers === KILL_AFTER_ANSWERS) {
        victim.signal('SIGKILL');
        killedAt = Date.now() - started;
      }
      return { gateway, ...answer };
    });
    expect(await victim.exited).toMatchObject({ signal: 'SIGKILL' });

    const acknowledged = (attempt: Attempt) => (attempt.status === 201 || attempt.status === 409) && attempt.jobId !== undefined;
    const unanswered = shots.filter((_, index) => !acknowledged(firstTries[index]));
    const afterCrash = await jobsByExtIpid(database.url, 'crash-');
    const unansweredButStored = unanswered.filter((key) => afterCrash.has(key)).length;
    const retries = await inParallel(unanswered, CRASH_CONCURRENCY, (extIPID, index) =>
      submitWithRetries(extIPID, index, { apis: survivors.map((gateway) => gateway.api), authorization, timeoutMs: 15_000, maxAttempts: 4 }),
    );
    const durationMs = Date.now() - started;

    const stored = await jobsByExtIpid(database.url, 'crash-');
    const answeredFirst = shots.map((extIPID, index) => ({ extIPID, attempt: firstTries[index] })).filter(({ attempt }) => acknowledged(attempt));
    const firstAnswerMismatch = answeredFirst.filter(({ extIPID, attempt }) => stored.get(extIPID)?.[0] !== attempt.jobId);
    const retryMismatch = retries.filter((retry) => retry.acknowledged?.jobId !== stored.get(retry.extIPID)?.[0]);
    const keysWithSeveralJobs = [...stored.values()].filter((ids) => ids.length > 1).length;
    const survivorErrors = [...firstTries, ...retries.flatMap((retry) => retry.attempts)].filter(
      (attempt) => (attempt.status ?? 0) >= 500,
    );
    const lost = keys.filter((key) => !stored.has(key)).length;

    writeFigures({
      scenario: 'gateway-crash',
      title: 'Crash mid-flight',
      requests: firstTries.length + retries.reduce((sum, retry) => sum + retry.attempts.length, 0),
      duplicates: CRASH_DUPLICATES,
      faultsInjected: [`kill -9 of 1 of 3 gateways after ${KILL_AFTER_ANSWERS} answers`],
      jobsLost: lost,
      serverErrors: survivorErrors.length,
      durationMs,
      details: {
        killedAfterMs: killedAt ?? -1,
        answeredBeforeRetry: answeredFirst.length,
        unansweredAtCrash: unanswered.length,
        unansweredButStored,
        retriedAnswered201: retries.filter((retry) => retry.acknowledged?.status === 201).length,
        retriedAnswered409: retries.filter((retry) => retry.acknowledged?.status === 409).length,
        jobsInDatabase: [...stored.values()].reduce((sum, ids) => sum + ids.length, 0),
        keysWithSeveralJobs,
      },
    });

    expect(unanswered.length, 'the kill must leave requests unanswered').toBeGreaterThan(0);
    expect(survivorErrors, JSON.stringify(survivorErrors.slice(0, 5))).toEqual([]);
    expect(survivors.flatMap((gateway) => serverErrorsLogged(gateway.logFile))).toEqual([]);
    expect(firstAnswerMismatch).toEqual([]);
    expect(retries.filter((retry) => !retry.acknowledged).map((retry) => retry.attempts)).toEqual([]);
    expect(retryMismatch.map((retry) => retry.extIPID)).toEqual([]);
    expect(keysWithSeveralJobs).toBe(0);
    expect(stored.size).toBe(CRASH_KEYS);
  });
});
