// Scenario 4: listing at scale. First page and page N (reached by following `next`) of the common
// filters and sorts, through the gateway, against the same page read with OFFSET in plain SQL.
import http from 'node:http';
import { JOBS_PATH, startGateway } from '../lib/gateway.mjs';
import { seedListingJobs } from '../lib/seed.mjs';
import { median, round } from '../lib/stats.mjs';

const PAGE_SIZE = 100;
const REPEATS = 25;
const OFFSET_REPEATS = 3;

/** The common queries (docs/architecture.md, "Listing"), each with the SQL an OFFSET pager would send. */
const QUERIES = [
  { name: 'all, newest first', query: '', where: '', order: 'id DESC' },
  { name: 'status=COMPLETED', query: 'status=COMPLETED', where: "WHERE status = 'COMPLETED'", order: 'id DESC' },
  { name: 'contract=contract-00', query: 'contract=contract-00', where: "WHERE contract = 'contract-00'", order: 'id DESC' },
  { name: 'submittedBy=user-0', query: 'submittedBy=user-0', where: "WHERE submitted_by = 'user-0'", order: 'id DESC' },
  { name: 'queue=default', query: 'queue=default', where: "WHERE queue = 'default'", order: 'id DESC' },
  { name: 'sort=-createdAt', query: 'sort=-createdAt', where: '', order: 'created_at DESC, id DESC' },
  { name: 'sort=+createdAt', query: 'sort=%2BcreatedAt', where: '', order: 'created_at ASC, id ASC' },
];

function makeGet(baseUrl, apiKey) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path) =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = http.get(`${baseUrl}${path}`, { agent, headers: { 'x-api-key': apiKey } }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (res.statusCode !== 200) return reject(new Error(`GET ${path} answered ${res.statusCode}`));
          resolve({ ms, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        });
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`GET ${path} timed out`)));
      req.on('error', reject);
    });
  return { get, close: () => agent.destroy() };
}

async function medianOf(times, measure) {
  const samples = [];
  for (let i = 0; i < times; i++) samples.push(await measure());
  return round(median(samples), 2);
}

async function timeSql(pool, sql) {
  const started = process.hrtime.bigint();
  await pool.query(sql);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function runListing({ databases, settings, log, logFile, launch }) {
  const database = await databases.mysql('list');
  const server = await launch(() => startGateway({ databaseUrl: database.url, logFile, logLevel: settings.logLevel }));
  const pool = databases.pool(database.url, 1);
  const client = makeGet(server.url, server.apiKey);
  try {
    const seedStarted = Date.now();
    await seedListingJobs(pool, settings.listRows);
    const seedSeconds = round((Date.now() - seedStarted) / 1000);
    log(`  seeded in ${seedSeconds} s`);

    const deepPage = settings.listDeepPage;
    const results = [];
    for (const spec of QUERIES) {
      const firstPath = `${JOBS_PATH}?${spec.query ? `${spec.query}&` : ''}maxItems=${PAGE_SIZE}`;
      await client.get(firstPath); // warm the buffer pool, as a live table would be

      const walkMs = [];
      let path = firstPath;
      let reached = 1;
      let deepPath = null;
      // A walk that degrades with depth must not hold the whole run hostage: it stops at the budget.
      const walkDeadline = Date.now() + settings.listWalkBudgetMs;
      while (reached < deepPage && Date.now() < walkDeadline) {
        const { ms, body } = await client.get(path);
        walkMs.push(ms);
        if (!body.next) break;
        path = body.next;
        reached++;
        if (reached === deepPage) deepPath = path;
      }
      // Page 1 and the deep page in alternation, so both see the same moments of the machine: at
      // 3–4 ms a page, measuring them minutes apart moved their ratio between 0.7× and 1.9×.
      const firstSamples = [];
      const deepSamples = [];
      for (let i = 0; i < REPEATS; i++) {
        firstSamples.push((await client.get(firstPath)).ms);
        if (deepPath) deepSamples.push((await client.get(deepPath)).ms);
      }
      const firstPageMs = round(median(firstSamples), 2);
      const deepPageMs = deepPath ? round(median(deepSamples), 2) : null;
      const offsetSql = `SELECT * FROM jobs ${spec.where} ORDER BY ${spec.order} LIMIT ${PAGE_SIZE} OFFSET ${(deepPage - 1) * PAGE_SIZE}`;
      const offsetMs = deepPath ? await medianOf(OFFSET_REPEATS, () => timeSql(pool, offsetSql)) : null;
      const row = {
        name: spec.name,
        query: spec.query,
        firstPageMs,
        deepPage: deepPath ? deepPage : null,
        reachedPage: reached,
        walkOverBudget: reached < deepPage && Date.now() >= walkDeadline,
        deepPageMs,
        deepToFirst: deepPageMs && firstPageMs ? round(deepPageMs / firstPageMs, 2) : null,
        walkMedianMs: round(median(walkMs), 2),
        offsetSqlMs: offsetMs,
      };
      results.push(row);
      log(`  ${spec.name}: page 1 ${row.firstPageMs} ms, page ${deepPage} ${row.deepPageMs} ms (walk reached ${reached}), OFFSET ${row.offsetSqlMs} ms`);
    }
    return { rows: settings.listRows, pageSize: PAGE_SIZE, deepPage, seedSeconds, queries: results, peakRssMb: round((server.memory()?.hwmKb ?? 0) / 1024) };
  } finally {
    client.close();
    await pool.end();
  }
}
