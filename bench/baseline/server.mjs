// The hand-rolled baseline the gateway is measured against: what a user could write in an
// afternoon with node:http and mysql2. It keeps the same idempotency contract (IPID = sha256 of
// user, contract, action and extIPID; 201 on first submit, 409 with the stored job afterwards)
// and nothing else: no logging, no problem details, no config validation beyond defaults.
//
// Env: BASELINE_DATABASE_URL (required, mysql://…), BASELINE_POOL_SIZE (16), BASELINE_PORT (0).
// Prints {"ready":true,"port":N} on stdout once listening.
import { createHash } from 'node:crypto';
import http from 'node:http';
import process from 'node:process';
import mysql from 'mysql2/promise';

const JOBS_PATH = '/ghibli-rest/v2/job-manager/jobs';
const BODY_LIMIT_BYTES = 1024 * 1024;
const ER_DUP_ENTRY = 1062;

const databaseUrl = process.env.BASELINE_DATABASE_URL;
if (!databaseUrl) {
  console.error('BASELINE_DATABASE_URL is required, e.g. mysql://root@127.0.0.1:3306/bench_baseline');
  process.exit(2);
}
const poolSize = Number(process.env.BASELINE_POOL_SIZE ?? 16);
const port = Number(process.env.BASELINE_PORT ?? 0);

const pool = mysql.createPool({
  uri: databaseUrl,
  connectionLimit: poolSize,
  // DATETIME has no zone; pin UTC so created_at round-trips the same whatever the host TZ.
  timezone: 'Z',
});

await pool.query(`
  CREATE TABLE IF NOT EXISTS baseline_jobs (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    ipid CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL UNIQUE,
    submitted_by VARCHAR(128) NOT NULL,
    contract VARCHAR(128) NOT NULL,
    action VARCHAR(128) NOT NULL,
    ext_ipid VARCHAR(64) NOT NULL,
    variables LONGTEXT NOT NULL,
    status VARCHAR(16) NOT NULL,
    created_at DATETIME(3) NOT NULL
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);

class HttpError extends Error {
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

function send(res, status, body, headers = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** User name from `Authorization: Basic base64(user:password)`; the password is not checked. */
function basicUser(header) {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user.length > 0 && user.length <= 128 ? user : null;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        // Stop reading; 'connection: close' makes node drop the socket once the 413 is written.
        req.off('data', onData);
        req.pause();
        reject(new HttpError(413, 'body too large', { connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function validate(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  const { contractName, actionName, actionVariables, extIPID } = body;
  for (const [name, value, max] of [
    ['contractName', contractName, 128],
    ['actionName', actionName, 128],
    ['extIPID', extIPID, 64],
  ]) {
    if (typeof value !== 'string' || value.length === 0) throw new HttpError(400, `${name} must be a non-empty string`);
    if (value.length > max) throw new HttpError(400, `${name} must be at most ${max} characters`);
  }
  if (actionVariables !== undefined && (actionVariables === null || typeof actionVariables !== 'object')) {
    throw new HttpError(400, 'actionVariables must be an object');
  }
  return { contractName, actionName, actionVariables: actionVariables ?? {}, extIPID };
}

function toJob(row) {
  return {
    id: String(row.id),
    ipid: row.ipid,
    submittedBy: row.submitted_by,
    contractName: row.contract,
    actionName: row.action,
    extIPID: row.ext_ipid,
    actionVariables: JSON.parse(row.variables),
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
}

async function submitJob(req, res) {
  const user = basicUser(req.headers.authorization);
  if (!user) throw new HttpError(401, 'basic authentication required', { 'www-authenticate': 'Basic realm="jobs"' });

  let parsed;
  try {
    parsed = JSON.parse(await readBody(req));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'body is not valid JSON');
  }
  const job = validate(parsed);
  const ipid = createHash('sha256')
    .update(JSON.stringify([user, job.contractName, job.actionName, job.extIPID]))
    .digest('hex');

  const row = {
    ipid,
    submitted_by: user,
    contract: job.contractName,
    action: job.actionName,
    ext_ipid: job.extIPID,
    variables: JSON.stringify(job.actionVariables),
    status: 'SUBMITTED',
    created_at: new Date(),
  };
  try {
    const [result] = await pool.execute(
      `INSERT INTO baseline_jobs (ipid, submitted_by, contract, action, ext_ipid, variables, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [row.ipid, row.submitted_by, row.contract, row.action, row.ext_ipid, row.variables, row.status, row.created_at],
    );
    // DATETIME(3) keeps milliseconds, so the Date we sent is exactly what was stored.
    send(res, 201, toJob({ id: result.insertId, ...row }));
  } catch (err) {
    if (err?.errno !== ER_DUP_ENTRY) throw err;
    const [rows] = await pool.execute('SELECT * FROM baseline_jobs WHERE ipid = ?', [ipid]);
    if (rows.length === 0) throw new Error(`duplicate ipid ${ipid} but no row found`);
    send(res, 409, toJob(rows[0]));
  }
}

const server = http.createServer((req, res) => {
  const path = req.url.split('?', 1)[0];
  let handled;
  if (path !== JOBS_PATH) handled = Promise.reject(new HttpError(404, 'not found'));
  else if (req.method !== 'POST') handled = Promise.reject(new HttpError(405, 'method not allowed', { allow: 'POST' }));
  else handled = submitJob(req, res);

  handled.catch((err) => {
    if (res.headersSent) return res.destroy();
    if (err instanceof HttpError) return send(res, err.status, { error: err.message }, err.headers);
    console.error(err);
    send(res, 500, { error: 'internal error' });
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(JSON.stringify({ ready: true, port: server.address().port }));
});

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  // Exit even if a client holds a request open; the bench harness SIGKILLs after 5 s anyway.
  setTimeout(() => process.exit(1), 4000).unref();
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  await closed;
  await pool.end();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
