// Scenario 5: dispatch. Workers claim and complete over HTTP, in three ways (DISPATCH_MODES), against
// a queue of bulk-seeded ready jobs; a cycle is one job claimed and completed.
import http from 'node:http';
import { CONTEXT_PATH, startGateway } from '../lib/gateway.mjs';
import { percentile } from '../lib/load.mjs';
import { seedDispatchJobs } from '../lib/seed.mjs';
import { measuringRss, median, round, statementCounters, statementsPer } from '../lib/stats.mjs';

function makePost(baseUrl, apiKey, agent) {
  return (path, body) =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = http.request(
        `${baseUrl}${CONTEXT_PATH}${path}`,
        {
          method: 'POST',
          agent,
          headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`POST ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
}

/**
 * How a worker asks for work: `claim` = claim (maxJobs 1) then complete, two round trips per job;
 * `next1` = complete with claimNext (maxJobs 1), one round trip per job; `next10` = batches of 10,
 * the batch's last completion claiming the next batch (what the worker SDK does by default).
 */
export const DISPATCH_MODES = {
  claim: { title: 'claim (maxJobs 1) → complete', batch: 1, claimNext: false },
  next1: { title: 'complete with claimNext (maxJobs 1)', batch: 1, claimNext: true },
  next10: { title: 'batches of 10: claim 10, complete 9, complete the 10th with claimNext (maxJobs 10)', batch: 10, claimNext: true },
};

async function drive({ server, workers, durationMs, mode }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: workers });
  const post = makePost(server.url, server.apiKey, agent);
  const next = { queues: ['imports'], maxJobs: mode.batch, leaseSeconds: 60 };
  const cycleMs = [];
  let errors = 0;
  let emptyClaims = 0;
  const deadline = Date.now() + durationMs;
  const startedAt = process.hrtime.bigint();

  async function worker(index) {
    const workerId = `bench-worker-${index}`;
    let held = [];
    while (Date.now() < deadline) {
      const started = process.hrtime.bigint();
      try {
        if (held.length === 0) {
          const claim = await post('/job-manager/workers/claim', { workerId, ...next });
          if (claim.status !== 200) {
            errors++;
            continue;
          }
          held = JSON.parse(claim.body).jobs;
          // Seeded jobs outnumber what a phase can drain: an empty answer means the candidates were locked by other claims.
          if (held.length === 0) {
            emptyClaims++;
            continue;
          }
        }
        const job = held.shift();
        const last = held.length === 0;
        const body = { leaseToken: job.lease.token, result: { ok: true } };
        if (mode.claimNext && last && Date.now() < deadline) body.claimNext = next;
        const done = await post(`/job-manager/jobs/${job.id}/complete`, body);
        if (done.status !== 200) {
          errors++;
          continue;
        }
        cycleMs.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (body.claimNext) held = JSON.parse(done.body).claimed ?? [];
      } catch {
        errors++;
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: workers }, (_, index) => worker(index)));
  } finally {
    agent.destroy();
  }
  const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  cycleMs.sort((a, b) => a - b);
  return {
    cycles: cycleMs.length,
    cyclesPerSecond: round((cycleMs.length * 1000) / elapsedMs),
    cycleP50Ms: round(percentile(cycleMs, 0.5), 2),
    cycleP99Ms: round(percentile(cycleMs, 0.99), 2),
    errors,
    emptyClaims,
    elapsedMs: round(elapsedMs),
  };
}

export async function runDispatch({ databases, settings, log, logFile, launch }) {
  const database = await databases.mysql('dispatch');
  const server = await launch(() => startGateway({ databaseUrl: database.url, logFile, logLevel: settings.logLevel }));
  // The demo catalogue runs two `imports` jobs at a time; dispatch measures an unbounded queue (docs/queues.md).
  const unbounded = await fetch(`${server.url}${CONTEXT_PATH}/job-manager/queues/imports`, {
    method: 'PUT',
    headers: { 'x-api-key': server.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ parallelism: 0 }),
  });
  if (unbounded.status !== 200) throw new Error(`unbounding the imports queue answered ${unbounded.status}: ${await unbounded.text()}`);
  const pool = databases.pool(database.url, 1);
  try {
    await seedDispatchJobs(pool, settings.dispatchJobs);
    const modes = Object.entries(DISPATCH_MODES);
    if (settings.warmupMs > 0) {
      for (const [name, mode] of modes) {
        const warmup = await drive({ server, workers: settings.dispatchWorkers, durationMs: settings.warmupMs / modes.length, mode });
        log(`  warm-up ${name}: ${warmup.cyclesPerSecond} cycles/s (not measured)`);
      }
    }
    const rounds = Object.fromEntries(modes.map(([name]) => [name, []]));
    for (let roundIndex = 0; roundIndex < settings.rounds; roundIndex++) {
      for (const [name, mode] of modes) {
        const before = await statementCounters(pool);
        const phase = await measuringRss(server, () => drive({ server, workers: settings.dispatchWorkers, durationMs: settings.durationMs, mode }));
        const after = await statementCounters(pool);
        const counted = statementsPer(before, after, phase.cycles);
        phase.statementsPerCycle = counted.statements;
        phase.commitsPerCycle = counted.commits;
        phase.byKind = counted.byKind;
        rounds[name].push(phase);
        log(
          `  ${name} round ${roundIndex + 1}: ${phase.cyclesPerSecond} cycles/s, p99 ${phase.cycleP99Ms} ms, ${phase.cpuMsPerRequest} CPU ms/cycle, ` +
            `${phase.statementsPerCycle} statements and ${phase.commitsPerCycle} commits per cycle, ${phase.errors} errors, ${phase.emptyClaims} empty claims`,
        );
      }
    }
    // A job claimed twice would have two executions; 60 s leases do not expire within the run.
    const [[{ doubleClaims }]] = await pool.query('SELECT COUNT(*) AS doubleClaims FROM (SELECT job_id FROM job_executions GROUP BY job_id HAVING COUNT(*) > 1) twice');
    const summary = Object.fromEntries(
      modes.map(([name, mode]) => {
        const phases = rounds[name];
        return [
          name,
          {
            title: mode.title,
            cyclesPerSecond: round(median(phases.map((r) => r.cyclesPerSecond))),
            cycleP50Ms: round(median(phases.map((r) => r.cycleP50Ms)), 2),
            cycleP99Ms: round(median(phases.map((r) => r.cycleP99Ms)), 2),
            cpuMsPerCycle: round(median(phases.map((r) => r.cpuMsPerRequest)), 3),
            statementsPerCycle: round(median(phases.map((r) => r.statementsPerCycle)), 2),
            commitsPerCycle: round(median(phases.map((r) => r.commitsPerCycle)), 2),
            byKind: phases[Math.floor(phases.length / 2)]?.byKind,
            errors: phases.reduce((sum, r) => sum + r.errors, 0),
            emptyClaims: phases.reduce((sum, r) => sum + r.emptyClaims, 0),
            peakRssMb: Math.max(...phases.map((r) => r.peakRssMb)),
          },
        ];
      }),
    );
    return {
      workers: settings.dispatchWorkers,
      seededJobs: settings.dispatchJobs,
      doubleClaims: Number(doubleClaims),
      modes: summary,
      peakRssMb: Math.max(...Object.values(summary).map((mode) => mode.peakRssMb)),
      rounds,
    };
  } finally {
    await pool.end();
  }
}
