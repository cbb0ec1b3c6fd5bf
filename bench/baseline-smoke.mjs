// Smoke run of the bench foundation: the baseline server on a throw-away database, 3 s of unique
// submits, then 3 s of a retry storm. Prints the results as JSON; exits 1 if anything looks wrong.
//
//   node bench/baseline-smoke.mjs
//
// Env: BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306), the server's database is created under it.
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import mysql from 'mysql2/promise';
import { runLoad } from './lib/load.mjs';
import { startProcess } from './lib/process.mjs';
import { seededRandom } from './lib/seeded-random.mjs';

const DATABASE = 'bench_baseline_smoke';
const SERVER_SCRIPT = fileURLToPath(new URL('./baseline/server.mjs', import.meta.url));
const JOBS_PATH = '/ghibli-rest/v2/job-manager/jobs';
const CONCURRENCY = 32;
const PHASE_MS = 3000;
const HOT_KEYS = 50;
const HOT_SHARE = 0.9;

const adminUrl = new URL(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const serverUrl = new URL(adminUrl);
serverUrl.pathname = `/${DATABASE}`;

// Everything here is bounded, but a wedged database must not hang the run either.
setTimeout(() => {
  console.error('baseline-smoke: gave up after 60 s');
  process.exit(1);
}, 60_000).unref();

const authorization = `Basic ${Buffer.from('bench-user:unused').toString('base64')}`;
const submit = (extIPID, i) => ({
  method: 'POST',
  path: JOBS_PATH,
  headers: { authorization },
  body: { contractName: 'bench-contract', actionName: 'run', actionVariables: { i }, extIPID },
});

const admin = await mysql.createConnection({ uri: adminUrl.href });
let server;
let ok = false;
try {
  await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await admin.query(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);

  server = await startProcess({
    script: SERVER_SCRIPT,
    env: { BASELINE_DATABASE_URL: serverUrl.href, BASELINE_PORT: '0' },
  });
  const url = `http://127.0.0.1:${server.port}`;

  const unique = await runLoad({
    url,
    concurrency: CONCURRENCY,
    durationMs: PHASE_MS,
    makeRequest: (i) => submit(`unique-${i}`, i),
  });

  const random = seededRandom(42);
  const retryStorm = await runLoad({
    url,
    concurrency: CONCURRENCY,
    durationMs: PHASE_MS,
    makeRequest: (i) =>
      random() < HOT_SHARE ? submit(`hot-${Math.floor(random() * HOT_KEYS)}`, i) : submit(`storm-${i}`, i),
  });

  const memory = await server.stop();
  server = null;

  const [[{ rows }]] = await admin.query(`SELECT COUNT(*) AS \`rows\` FROM \`${DATABASE}\`.baseline_jobs`);
  const created = (unique.statusCounts[201] ?? 0) + (retryStorm.statusCounts[201] ?? 0);
  const inFlightAtStop = unique.aborted + retryStorm.aborted;
  const problems = [];
  for (const [name, result] of Object.entries({ unique, retryStorm })) {
    if (result.errors > 0) problems.push(`${name}: ${result.errors} transport errors`);
    const unexpected = Object.keys(result.statusCounts).filter((status) => status !== '201' && status !== '409');
    if (unexpected.length > 0) problems.push(`${name}: unexpected statuses ${unexpected.join(', ')}`);
    if (result.requests === 0) problems.push(`${name}: no completed requests`);
  }
  if (unique.statusCounts[409]) problems.push('unique: got 409 for unique keys');
  // Requests cut off at the hard stop may still have inserted their row.
  if (Number(rows) < created || Number(rows) > created + inFlightAtStop) {
    problems.push(`row count ${rows} does not match ${created} created (+ up to ${inFlightAtStop} cut off)`);
  }

  console.log(JSON.stringify({ unique, retryStorm, server: memory, check: { rows: Number(rows), created, problems } }, null, 2));
  ok = problems.length === 0 && memory.code === 0;
} finally {
  if (server) await server.stop();
  await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await admin.end();
}
process.exitCode = ok ? 0 : 1;
