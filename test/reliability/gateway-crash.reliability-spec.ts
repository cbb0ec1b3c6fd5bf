import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, hasMysql, TestDatabase } from '../setup/test-database';
import { bearer, scenarioFolder, startGateways } from './support/cluster';
import { jobsByExtIpid } from './support/database';
import { writeFigures } from './support/figures';
import { Gateway, serverErrorsLogged } from './support/processes';
import { Attempt, inParallel, seededRandom, submitOnce, submitWithRetries } from './support/submitter';

const UNIQUE_KEYS = 1_200;
const DUPLICATES = 240;
const CONCURRENCY = 36;
/** The victim dies once this many answers have come back, so it has requests in flight. */
const KILL_AFTER_ANSWERS = 400;

describe.skipIf(!hasMysql)('crash mid-flight: kill -9 one of 3 gateways under submit load', () => {
  let database: TestDatabase;
  let gateways: Gateway[];

  beforeAll(async () => {
    database = await createTestDatabase();
    gateways = await startGateways(3, scenarioFolder('gateway-crash'), database.url);
  });

  afterAll(async () => {
    await Promise.all((gateways ?? []).map((gateway) => gateway.stop()));
    await database?.drop();
  });

  it('keeps every answered job exactly once, and retries against the survivors never make a second job', async () => {
    const random = seededRandom(9);
    const keys = Array.from({ length: UNIQUE_KEYS }, (_, index) => `crash-${index}`);
    const shots = [...keys, ...Array.from({ length: DUPLICATES }, () => keys[Math.floor(random() * UNIQUE_KEYS)])];
    shots.sort(() => random() - 0.5);
    const authorization = await bearer('crash-client', ['Administrators']);
    const [victim, ...survivors] = gateways;
    const started = Date.now();

    let answers = 0;
    let killedAt: number | undefined;
    const firstTries = await inParallel(shots, CONCURRENCY, async (extIPID, index): Promise<Attempt> => {
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
    const afterCrash = await jobsByExtIpid(database.url);
    const unansweredButStored = unanswered.filter((key) => afterCrash.has(key)).length;
    const retries = await inParallel(unanswered, CONCURRENCY, (extIPID, index) =>
      submitWithRetries(extIPID, index, { apis: survivors.map((gateway) => gateway.api), authorization, timeoutMs: 15_000, maxAttempts: 4 }),
    );
    const durationMs = Date.now() - started;

    const stored = await jobsByExtIpid(database.url);
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
      duplicates: DUPLICATES,
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
    expect(stored.size).toBe(UNIQUE_KEYS);
  });
});
