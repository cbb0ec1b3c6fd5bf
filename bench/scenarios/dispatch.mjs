// Scenario 5: dispatch. Workers loop claim (one job) → complete over HTTP against a queue of
// bulk-seeded ready jobs; a cycle is one job claimed and completed.
import http from 'node:http';
import { CONTEXT_PATH, startGateway } from '../lib/gateway.mjs';
import { percentile } from '../lib/load.mjs';
import { seedDispatchJobs } from '../lib/seed.mjs';
import { measuringRss, median, round } from '../lib/stats.mjs';

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

async function drive({ server, workers, durationMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: workers });
  const post = makePost(server.url, server.apiKey, agent);
  const cycleMs = [];
  let errors = 0;
  let emptyClaims = 0;
  const deadline = Date.now() + durationMs;
  const startedAt = process.hrtime.bigint();

  async function worker(index) {
    const workerId = `bench-worker-${index}`;
    while (Date.now() < deadline) {
      const started = process.hrtime.bigint();
      try {
        const claim = await post('/job-manager/workers/claim', { workerId, queues: ['imports'], maxJobs: 1, leaseSeconds: 60 });
        if (claim.status !== 200) {
          errors++;
          continue;
        }
        const [job] = JSON.parse(claim.body).jobs;
        // Seeded jobs outnumber what a phase can drain: an empty answer means the candidates were locked by other claims.
        if (!job) {
          emptyClaims++;
          continue;
        }
        const done = await post(`/job-manager/jobs/${job.id}/complete`, { leaseToken: job.lease.token, result: { ok: true } });
        if (done.status !== 200) errors++;
        else cycleMs.push(Number(process.hrtime.bigint() - started) / 1e6);
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
  } finally {
    await pool.end();
  }
  if (settings.warmupMs > 0) {
    const warmup = await drive({ server, workers: settings.dispatchWorkers, durationMs: settings.warmupMs });
    log(`  warm-up: ${warmup.cyclesPerSecond} cycles/s (not measured)`);
  }
  const rounds = [];
  for (let roundIndex = 0; roundIndex < settings.rounds; roundIndex++) {
    const phase = await measuringRss(server, () => drive({ server, workers: settings.dispatchWorkers, durationMs: settings.durationMs }));
    rounds.push(phase);
    log(`  round ${roundIndex + 1}: ${phase.cyclesPerSecond} cycles/s, p99 ${phase.cycleP99Ms} ms, ${phase.errors} errors, ${phase.emptyClaims} empty claims`);
  }
  return {
    workers: settings.dispatchWorkers,
    seededJobs: settings.dispatchJobs,
    cyclesPerSecond: round(median(rounds.map((r) => r.cyclesPerSecond))),
    cycleP50Ms: round(median(rounds.map((r) => r.cycleP50Ms)), 2),
    cycleP99Ms: round(median(rounds.map((r) => r.cycleP99Ms)), 2),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    emptyClaims: rounds.reduce((sum, r) => sum + r.emptyClaims, 0),
    peakRssMb: Math.max(...rounds.map((r) => r.peakRssMb)),
    rounds,
  };
}
