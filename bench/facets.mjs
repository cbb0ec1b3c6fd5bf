// `node bench/facets.mjs` (after `npm run build`): the cost of ?facets= on the job list at 1M jobs.
// Creates `bench_facets_<pid>` on the loopback MariaDB (root@127.0.0.1:3306), lets the built gateway
// migrate it, seeds it in bulk (bench/lib/seed.mjs), then times the list with and without facets
// through the gateway (medians, alternated), each facet's GROUP BY alone with its EXPLAIN, and the
// own-jobs case once more without IDX_jobs_submitted_by_facets.
// The database is dropped at the end, also on failure or timeout; no server setting is changed.
//
// Env: BENCH_FACETS_ROWS (1000000), BENCH_FACETS_RUNS (7), BENCH_FACETS_JSON (write the figures there).
import { writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import process from 'node:process';
import mysql from 'mysql2/promise';
import { JOBS_PATH, startGateway } from './lib/gateway.mjs';
import { seedListingJobs } from './lib/seed.mjs';
import { median, round } from './lib/stats.mjs';

const ADMIN = { host: '127.0.0.1', port: 3306, user: 'root' };
const DATABASE = `bench_facets_${process.pid}`;
const ROWS = Number(process.env.BENCH_FACETS_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_FACETS_RUNS ?? 7);
const HARD_LIMIT_MS = 5 * 60_000;
const QUERY_BUDGET_MS = 12_000;
const FACETS = 'status,queue,contract';
const PAGE = 'maxItems=100';

/** The list queries timed, from no filter to selective ones; `where` is the same filter in SQL. */
const QUERIES = [
  { name: 'no filter', query: '', where: '' },
  { name: 'status=SUSPENDED (~2%)', query: 'status=SUSPENDED', where: "status = 'SUSPENDED'" },
  { name: 'contract=contract-15 (~3%)', query: 'contract=contract-15', where: "contract = 'contract-15'" },
  { name: 'submittedBy=user-0 (~17%, = a caller without JOBS_ALL)', query: 'submittedBy=user-0', where: "submitted_by = 'user-0'" },
  { name: 'submittedBy=user-150 (~0.3%)', query: 'submittedBy=user-150', where: "submitted_by = 'user-150'" },
  { name: 'createdAt last 7 days (~2%)', query: 'createdAtFrom=@week', where: 'created_at >= @week' },
  { name: 'queue=imports & status=ERROR', query: 'queue=imports&status=ERROR', where: "queue = 'imports' AND status = 'ERROR'" },
];
const COLUMNS = { status: 'status', queue: 'queue', contract: 'contract', submittedBy: 'submitted_by' };

const log = (line) => console.log(`[${(process.uptime()).toFixed(0).padStart(4)} s] ${line}`);
let admin;
let gateway;
let pool;
let cleaned = false;

async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  await pool?.end().catch(() => {});
  await gateway?.stop().catch(() => {});
  await admin?.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``).catch((error) => console.error(`drop failed: ${error.message}`));
  await admin?.end().catch(() => {});
}

// A wedged query must not hold the machine: give up, but still drop what we created.
const hardLimit = setTimeout(async () => {
  console.error(`bench/facets: gave up after ${HARD_LIMIT_MS / 60_000} minutes`);
  await cleanup();
  process.exit(1);
}, HARD_LIMIT_MS);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => cleanup().finally(() => process.exit(130)));

async function get(path) {
  const started = process.hrtime.bigint();
  const response = await fetch(`${gateway.url}${path}`, { headers: { 'x-api-key': gateway.apiKey }, signal: AbortSignal.timeout(60_000) });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, body };
}

async function timeSql(sql) {
  const started = process.hrtime.bigint();
  await pool.query(sql);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The SQL JobsRepository.facetQuery sends (ORDER BY count, LIMIT the bound + 1). */
const facetSql = (field, where) =>
  `SELECT ${COLUMNS[field]} AS value, COUNT(*) AS count FROM jobs ${where ? `WHERE ${where}` : ''} GROUP BY ${COLUMNS[field]} ORDER BY COUNT(*) DESC, ${COLUMNS[field]} ASC LIMIT 1001`;

try {
  admin = await mysql.createConnection({ ...ADMIN, multipleStatements: false });
  const [[{ version }]] = await admin.query('SELECT VERSION() AS version');
  await admin.query(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = `mysql://root@127.0.0.1:3306/${DATABASE}`;
  log(`MariaDB ${version}: ${DATABASE}; starting the gateway (migrations)`);
  gateway = await startGateway({ databaseUrl: url, logFile: `/tmp/${DATABASE}.log`, logLevel: 'warn' });
  pool = mysql.createPool({ uri: url, connectionLimit: 1, timezone: 'Z' });
  const seedStarted = Date.now();
  await seedListingJobs(pool, ROWS);
  const seedSeconds = round((Date.now() - seedStarted) / 1000);
  log(`seeded ${ROWS} jobs in ${seedSeconds} s`);
  const week = new Date(Date.now() - 7 * 86400_000).toISOString();

  const results = [];
  for (const spec of QUERIES) {
    const filter = spec.query.replace('@week', encodeURIComponent(week));
    const where = spec.where.replace('@week', `'${week.replace('T', ' ').replace('Z', '')}'`);
    const paths = {
      plain: `${JOBS_PATH}?${filter ? `${filter}&` : ''}${PAGE}`,
      facets: `${JOBS_PATH}?${filter ? `${filter}&` : ''}${PAGE}&facets=${FACETS}`,
      allFacets: `${JOBS_PATH}?${filter ? `${filter}&` : ''}${PAGE}&facets=${FACETS},submittedBy`,
      total: `${JOBS_PATH}?${filter ? `${filter}&` : ''}${PAGE}&includeTotal=true`,
    };
    let body;
    const samples = Object.fromEntries(Object.keys(paths).map((key) => [key, []]));
    await get(paths.facets); // warm the buffer pool
    // Alternated, so every variant sees the same moments of the machine; slow queries stop at the budget (3 runs at least).
    const budgetEnds = Date.now() + QUERY_BUDGET_MS;
    for (let run = 0; run < RUNS && (run < 3 || Date.now() < budgetEnds); run++) {
      for (const [key, path] of Object.entries(paths)) {
        const answer = await get(path);
        samples[key].push(answer.ms);
        if (key === 'allFacets') body = answer.body;
      }
    }
    const ms = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, round(median(values), 1)]));
    const sql = {};
    for (const field of Object.keys(COLUMNS)) {
      const [plan] = await pool.query(`EXPLAIN ${facetSql(field, where)}`);
      const times = [];
      for (let run = 0; run < 3 && (run === 0 || times[0] < 500); run++) times.push(await timeSql(facetSql(field, where)));
      sql[field] = { ms: round(median(times), 1), key: plan[0].key, type: plan[0].type, extra: plan[0].Extra, values: Object.keys(body.facets[field]).length };
    }
    const row = { name: spec.name, ms, runs: samples.plain.length, facetsToPlain: round(ms.facets / ms.plain, 1), matching: Object.values(body.facets.status).reduce((a, b) => a + b, 0), sql };
    results.push(row);
    log(`${spec.name}: ${row.matching} jobs; page ${ms.plain} ms, +facets ${ms.facets} ms (${row.facetsToPlain}×), +4 facets ${ms.allFacets} ms, +total ${ms.total} ms`);
    for (const [field, s] of Object.entries(sql)) log(`    ${field}: ${s.ms} ms alone, ${s.values} values, ${s.type} on ${s.key} (${s.extra})`);
  }
  // What IDX_jobs_submitted_by_facets buys a caller without JOBS_ALL: the same facets with it dropped (scratch database only).
  log('without IDX_jobs_submitted_by_facets (dropped here):');
  await pool.query('ALTER TABLE jobs DROP INDEX IDX_jobs_submitted_by_facets');
  const withoutIndex = { sql: {} };
  for (const field of ['status', 'queue', 'contract']) {
    const sql = facetSql(field, "submitted_by = 'user-0'");
    const [plan] = await pool.query(`EXPLAIN ${sql}`);
    withoutIndex.sql[field] = { ms: round(await timeSql(sql), 1), key: plan[0].key, extra: plan[0].Extra };
  }
  const paths = [`${JOBS_PATH}?submittedBy=user-0&${PAGE}`, `${JOBS_PATH}?submittedBy=user-0&${PAGE}&facets=${FACETS}`];
  const withoutSamples = [[], []];
  for (let run = 0; run < 3; run++) for (const [index, path] of paths.entries()) withoutSamples[index].push((await get(path)).ms);
  withoutIndex.ms = { plain: round(median(withoutSamples[0]), 1), facets: round(median(withoutSamples[1]), 1) };
  log(`  user-0: page ${withoutIndex.ms.plain} ms, +facets ${withoutIndex.ms.facets} ms; ${JSON.stringify(withoutIndex.sql)}`);
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', ramGb: Math.round(totalmem() / 2 ** 30), node: process.version, mariadb: version, kernel: release() };
  const report = { at: new Date().toISOString(), rows: ROWS, runs: RUNS, seedSeconds, machine, results, withoutIndex };
  if (process.env.BENCH_FACETS_JSON) writeFileSync(process.env.BENCH_FACETS_JSON, `${JSON.stringify(report, null, 2)}\n`);
  log(`machine: ${JSON.stringify(machine)}`);
} catch (error) {
  console.error(error);
  if (gateway?.child.exitCode !== null || gateway?.child.signalCode) {
    console.error(`gateway ended: code ${gateway?.child.exitCode}, signal ${gateway?.child.signalCode}\n${gateway?.output().stderr.join('\n')}`);
  }
  process.exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(hardLimit);
}
