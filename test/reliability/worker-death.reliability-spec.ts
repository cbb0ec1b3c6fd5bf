import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, hasMysql, TestDatabase } from '../setup/test-database';
import { bearer, createWorkerKey, QUEUE, scenarioFolder, startGateways } from './support/cluster';
import { query } from './support/database';
import { writeFigures } from './support/figures';
import { Gateway, RunningProcess, serverErrorsLogged, startExampleWorker } from './support/processes';
import { submitOnce } from './support/submitter';

const JOBS = 30;
/** Heartbeats every 2 s (a third of the lease): none falls in the last second of the work. */
const LEASE_SECONDS = 6;
const WORK_MS = 5_000;

interface ExecutionRow {
  job_id: string | number;
  worker_id: string;
  status: string;
}

describe.skipIf(!hasMysql)('worker death: kill -9 and pause workers mid-job', () => {
  let database: TestDatabase;
  let folder: string;
  let gateways: Gateway[];
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    folder = scenarioFolder('worker-death');
    gateways = await startGateways(2, folder, database.url, { REAPER_INTERVAL_MS: '500' });
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await Promise.all((gateways ?? []).map((gateway) => gateway.stop()));
    await database?.drop();
  });

  it('re-claims the jobs of dead workers after their lease and completes each job exactly once', async () => {
    const started = Date.now();
    const authorization = await bearer('worker-death-client', ['Administrators']);
    const jobIds: string[] = [];
    for (let index = 0; index < JOBS; index++) {
      const answer = await submitOnce(gateways[index % 2].api, authorization, `work-${index}`, 15_000);
      expect(answer.status).toBe(201);
      jobIds.push(answer.jobId ?? '');
    }
    const completions = join(folder, 'completions.jsonl');
    const workerEnv = {
      GATEWAY_API_KEY: await createWorkerKey(gateways[0]),
      WORKER_QUEUES: QUEUE,
      WORKER_CONCURRENCY: '4',
      WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
      EXAMPLE_WORK_MS: String(WORK_MS),
      EXAMPLE_COMPLETIONS_FILE: completions,
    };
    const startWorker = (name: string, gateway: number) => {
      const worker = startExampleWorker(name, folder, { ...workerEnv, GATEWAY_URL: gateways[gateway].api });
      workers.push(worker);
      return worker;
    };
    const [killedFirst, killedSecond, paused] = [startWorker('worker-a', 0), startWorker('worker-b', 1), startWorker('worker-c', 0)];
    startWorker('worker-d', 1);
    startWorker('worker-e', 0);

    const heldBy = async (workerId: string) =>
      (await query<{ id: string | number }>(database.url, "SELECT id FROM jobs WHERE status = 'RUNNING' AND worker_id = ?", [workerId])).map(
        (row) => String(row.id),
      );
    // Milliseconds since the worker's oldest running job was claimed, on the database clock.
    const claimedMsAgo = async (workerId: string) =>
      Number(
        (
          await query<{ ms: string | number | null }>(
            database.url,
            "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(started_at), NOW(3)) / 1000 AS ms FROM job_executions WHERE worker_id = ? AND status = 'RUNNING'",
            [workerId],
          )
        )[0].ms ?? 0,
      );
    const deadline = Date.now() + 60_000;
    for (const victim of ['worker-a', 'worker-b', 'worker-c']) {
      while ((await heldBy(victim)).length === 0 && Date.now() < deadline) await sleep(100);
    }
    // All jobs are queued before any worker starts, so each victim's first claim fills its slots.
    // Two die a second into that work. The third freezes (a long GC pause, a partition) during its
    // last step, before the heartbeat that would come next: woken up, it usually finishes the
    // handler first and learns only when it reports that its lease is gone.
    await sleep(Math.max(0, 1_000 - Math.min(await claimedMsAgo('worker-a'), await claimedMsAgo('worker-b'))));
    killedFirst.signal('SIGKILL');
    killedSecond.signal('SIGKILL');
    await Promise.all([killedFirst.exited, killedSecond.exited]);
    // What each victim held is read once it can no longer report (dead, or stopped with its last
    // requests landed) and before its lease can expire.
    const orphaned = new Map<string, string[]>();
    orphaned.set('worker-a', await heldBy('worker-a'));
    orphaned.set('worker-b', await heldBy('worker-b'));
    await sleep(Math.max(0, WORK_MS * 0.9 - (await claimedMsAgo('worker-c'))));
    paused.signal('SIGSTOP');
    await sleep(1_000);
    orphaned.set('worker-c', await heldBy('worker-c'));
    await sleep((LEASE_SECONDS + 2) * 1000);
    paused.signal('SIGCONT');

    const completionDeadline = Date.now() + 90_000;
    const statuses = async () => query<{ status: string; n: number }>(database.url, 'SELECT status, COUNT(*) AS n FROM jobs GROUP BY status');
    while (Date.now() < completionDeadline) {
      const counts = await statuses();
      if (counts.length === 1 && counts[0].status === 'COMPLETED') break;
      await sleep(500);
    }
    // Let the paused worker finish what it was doing when it woke up, so its late reports are in.
    await Promise.all(workers.map((worker) => worker.stop()));
    const durationMs = Date.now() - started;

    const jobs = await query<{ id: string | number; status: string }>(database.url, 'SELECT id, status FROM jobs');
    const executions = await query<ExecutionRow>(database.url, 'SELECT job_id, worker_id, status FROM job_executions');
    const completedExecutions = new Map<string, ExecutionRow[]>();
    for (const execution of executions.filter((row) => row.status === 'COMPLETED')) {
      completedExecutions.set(String(execution.job_id), [...(completedExecutions.get(String(execution.job_id)) ?? []), execution]);
    }
    const expired = executions.filter((execution) => execution.status === 'EXPIRED');
    const lines = existsSync(completions) ? readFileSync(completions, 'utf8').trim().split('\n').filter(Boolean) : [];
    const completionsPerJob = new Map<string, number>();
    for (const line of lines) {
      const { jobId } = JSON.parse(line) as { jobId: string };
      completionsPerJob.set(jobId, (completionsPerJob.get(jobId) ?? 0) + 1);
    }
    const notCompleted = jobs.filter((job) => job.status !== 'COMPLETED');

    writeFigures({
      scenario: 'worker-death',
      title: 'Worker death',
      requests: JOBS,
      duplicates: 0,
      faultsInjected: [
        `kill -9 of 2 of 5 workers, holding ${orphaned.get('worker-a')?.length} and ${orphaned.get('worker-b')?.length} jobs`,
        `SIGSTOP of a third holding ${orphaned.get('worker-c')?.length} jobs, for ${LEASE_SECONDS + 3} s (lease ${LEASE_SECONDS} s), then SIGCONT`,
      ],
      jobsLost: notCompleted.length,
      serverErrors: gateways.flatMap((gateway) => serverErrorsLogged(gateway.logFile)).length,
      durationMs,
      details: {
        jobs: JOBS,
        executions: executions.length,
        expiredExecutions: expired.length,
        jobsStartedMoreThanOnce: new Set(expired.map((execution) => String(execution.job_id))).size,
        jobsCompletedTwiceInDatabase: [...completedExecutions.values()].filter((rows) => rows.length > 1).length,
        handlerCompletions: lines.length,
        jobsWhoseHandlerCompletedMoreThanOnce: [...completionsPerJob.values()].filter((count) => count > 1).length,
      },
    });

    expect(notCompleted).toEqual([]);
    expect(jobs.map((job) => String(job.id)).sort()).toEqual([...jobIds].sort());
    for (const id of jobIds) expect(completedExecutions.get(id), `job ${id}`).toHaveLength(1);
    // Every job a victim held when it died or froze lost its lease and was re-claimed: that execution
    // EXPIRED, and a later one (by whichever worker claimed it, the woken one included) completed it.
    for (const [workerId, held] of orphaned) {
      expect(held.length, `${workerId} held jobs at the fault`).toBeGreaterThan(0);
      for (const id of held) {
        expect(expired.some((execution) => String(execution.job_id) === id && execution.worker_id === workerId), `job ${id}`).toBe(true);
      }
    }
    for (const execution of expired) expect(completedExecutions.get(String(execution.job_id)), `job ${execution.job_id}`).toHaveLength(1);
    // At least once: every job's handler ran to the end at least once; more than once is allowed.
    for (const id of jobIds) expect(completionsPerJob.get(id) ?? 0, `job ${id}`).toBeGreaterThanOrEqual(1);
    expect(gateways.flatMap((gateway) => serverErrorsLogged(gateway.logFile))).toEqual([]);
  });
});
