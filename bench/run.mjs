// `npm run bench`: every scenario of docs/benchmarks.md against the built gateway and the
// hand-rolled baseline, on scratch databases of the local MariaDB (and SQLite where it makes
// sense). Writes the raw JSON to bench/results/ and regenerates docs/benchmarks.md.
//
//   npm run bench                     full run (a hard limit of 20 minutes ends a wedged one)
//   npm run bench -- --quick          smoke run (1–2 minutes)
//   npm run bench -- --only=unique,listing
//
// Env (flags win): BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306), BENCH_DURATION_S, BENCH_ROUNDS, BENCH_WARMUP_S,
// BENCH_LIST_ROWS, BENCH_LIST_DEEP_PAGE, BENCH_LIST_WALK_BUDGET_S (per query), BENCH_DISPATCH_JOBS, BENCH_LOG_LEVEL (info), BENCH_CPU_PROF_DIR
// (a --cpu-prof profile of every gateway into that folder), BENCH_GATEWAY_NODE_ARGS (Node flags for every
// gateway), BENCH_NO_REPORT (write only the JSON), BENCH_REFERENCE_GATEWAY (the dist/main.js of another
// build, measured as one more submit target: docs/benchmarks.md, "What is measured"), BENCH_REFERENCE_LABEL (what it is).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { ScratchDatabases } from './lib/databases.mjs';
import { startGateway } from './lib/gateway.mjs';
import { startProcess } from './lib/process.mjs';
import { writeReport } from './lib/report.mjs';
import { runSubmitScenarios } from './scenarios/submit.mjs';
import { runIndexCost } from './scenarios/index-cost.mjs';
import { runListing } from './scenarios/listing.mjs';
import { runDispatch } from './scenarios/dispatch.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BASELINE_SCRIPT = join(ROOT, 'bench/baseline/server.mjs');
const ALL = ['unique', 'retryStorm', 'lone', 'racing', 'indexCost', 'listing', 'dispatch'];

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-sqlite': { type: 'boolean', default: false },
    'no-report': { type: 'boolean', default: false },
  },
});
const env = process.env;
const quick = flags.quick;
const settings = {
  mode: quick ? 'quick' : 'full',
  durationMs: Number(env.BENCH_DURATION_S ?? (quick ? 2 : 6)) * 1000,
  rounds: Number(env.BENCH_ROUNDS ?? (quick ? 1 : 3)),
  warmupMs: Number(env.BENCH_WARMUP_S ?? (quick ? 1 : 5)) * 1000,
  listRows: Number(env.BENCH_LIST_ROWS ?? (quick ? 50_000 : 1_000_000)),
  listDeepPage: Number(env.BENCH_LIST_DEEP_PAGE ?? (quick ? 20 : 1000)),
  listWalkBudgetMs: Number(env.BENCH_LIST_WALK_BUDGET_S ?? (quick ? 10 : 45)) * 1000,
  dispatchJobs: Number(env.BENCH_DISPATCH_JOBS ?? (quick ? 20_000 : 200_000)),
  dispatchWorkers: 8,
  logLevel: env.BENCH_LOG_LEVEL ?? 'info',
  gatewayNodeArgs: env.BENCH_GATEWAY_NODE_ARGS ?? '',
  referenceGateway: env.BENCH_REFERENCE_GATEWAY ?? null,
  referenceLabel: env.BENCH_REFERENCE_LABEL ?? null,
  sqlite: !flags['no-sqlite'],
  scenarios: flags.only ? flags.only.split(',') : ALL,
};
for (const name of settings.scenarios) if (!ALL.includes(name)) throw new Error(`unknown scenario ${name}; one of ${ALL.join(', ')}`);

// Everything is bounded; a wedged database or server must not hang the run either.
const HARD_LIMIT_MS = quick ? 5 * 60_000 : 20 * 60_000;
setTimeout(() => {
  console.error(`bench: gave up after ${HARD_LIMIT_MS / 60_000} minutes`);
  process.exit(1);
}, HARD_LIMIT_MS).unref();

const startedAt = new Date();
const log = (line) => console.log(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const resultsDir = join(ROOT, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const logFile = join(resultsDir, `gateway-${stamp}.log`);

const databases = new ScratchDatabases(env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const servers = [];
async function launch(start) {
  const server = await start();
  servers.push(server);
  return server;
}
async function stopAll() {
  for (const server of servers.splice(0)) await server.stop();
}

const result = { startedAt: startedAt.toISOString(), settings, machine: null, scenarios: {} };
let ok = false;
try {
  const mariadb = await databases.connect();
  result.machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    ramGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    mariadb,
    kernel: release(),
  };
  log(`run ${databases.runId}: ${settings.mode}, ${settings.rounds} round(s) of ${settings.durationMs / 1000} s, MariaDB ${mariadb}`);

  const wanted = (name) => settings.scenarios.includes(name);
  const submitNames = ['unique', 'retryStorm', 'lone', 'racing'].filter(wanted);
  if (submitNames.length > 0) {
    log('submit scenarios: starting the gateway and the baseline');
    const gatewayDb = await databases.mysql('gw');
    const baselineDb = await databases.mysql('base');
    const gateway = await launch(() => startGateway({ databaseUrl: gatewayDb.url, logFile, logLevel: settings.logLevel }));
    const baseline = await launch(async () => {
      const server = await startProcess({ script: BASELINE_SCRIPT, env: { BASELINE_DATABASE_URL: baselineDb.url } });
      return { ...server, url: `http://127.0.0.1:${server.port}` };
    });
    const counters = databases.pool(gatewayDb.url, 1);
    const targets = [
      { name: 'gateway', server: gateway, apiKey: gateway.apiKey, counters },
      { name: 'baseline', server: baseline, counters },
    ];
    if (settings.referenceGateway) {
      const referenceDb = await databases.mysql('ref');
      const reference = await launch(() => startGateway({ databaseUrl: referenceDb.url, logFile, logLevel: settings.logLevel, script: settings.referenceGateway }));
      targets.push({ name: 'reference', server: reference, apiKey: reference.apiKey, counters });
    }
    if (settings.sqlite) {
      const sqlite = await launch(() => startGateway({ databaseUrl: databases.sqlite('gw'), logFile, logLevel: settings.logLevel }));
      targets.push({ name: 'gatewaySqlite', server: sqlite, apiKey: sqlite.apiKey });
    }
    try {
      Object.assign(result.scenarios, await runSubmitScenarios(targets, submitNames, { ...settings, log, runId: databases.runId }));
    } finally {
      await counters.end();
    }
    await stopAll();
  }

  if (wanted('indexCost')) {
    log('index cost: the same unique submits with and without the list indexes');
    result.scenarios.indexCost = await runIndexCost({ databases, settings, log, logFile, launch });
    await stopAll();
  }

  if (wanted('listing')) {
    log(`listing: seeding ${settings.listRows.toLocaleString('en')} jobs`);
    result.scenarios.listing = await runListing({ databases, settings, log, logFile, launch });
    await stopAll();
  }

  if (wanted('dispatch')) {
    log(`dispatch: ${settings.dispatchWorkers} workers claiming and completing`);
    result.scenarios.dispatch = await runDispatch({ databases, settings, log, logFile, launch });
    if (result.scenarios.unique) {
      for (const mode of Object.values(result.scenarios.dispatch.modes)) {
        mode.ratioToUniqueSubmit = Number((mode.cyclesPerSecond / result.scenarios.unique.summary.gateway.rps).toFixed(2));
      }
    }
    await stopAll();
  }
  ok = true;
} finally {
  await stopAll();
  await databases.dropAll();
}

result.finishedAt = new Date().toISOString();
result.elapsedS = Math.round((Date.now() - startedAt.getTime()) / 1000);
const jsonFile = join(resultsDir, `${settings.mode}-${stamp}.json`);
writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
log(`raw results: ${jsonFile}`);
if (ok && !flags['no-report'] && !env.BENCH_NO_REPORT && settings.scenarios.length === ALL.length) {
  const report = writeReport(result, join(ROOT, 'docs/benchmarks.md'), jsonFile);
  log(`report: ${report}`);
}
log(`done in ${result.elapsedS} s`);
