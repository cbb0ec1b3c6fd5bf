// Bulk seeding of the jobs table straight in MariaDB (INSERT … SELECT over the SEQUENCE engine's
// seq_1_to_N tables): a million rows in well under a minute, with no per-row round trip. Values are
// derived from CRC32 of the row number, so every run seeds the same table.

const CHUNK = 50_000;
// Uniform in [0, 1) per row and salt; `@offset` is replaced by the chunk's first row number.
const u = (salt) => `(CRC32(CONCAT('${salt}', s.seq + @offset)) / 4294967296)`;

/**
 * Realistic distributions: mostly finished jobs, a few contracts and submitters taking most of the
 * traffic (skewed), five queues, ids increasing with created_at over the last year.
 */
const LISTING_COLUMNS = {
  status: `CASE WHEN ${u('st')} < 0.80 THEN 'COMPLETED' WHEN ${u('st')} < 0.88 THEN 'ERROR' WHEN ${u('st')} < 0.93 THEN 'SUBMITTED'
    WHEN ${u('st')} < 0.96 THEN 'RUNNING' WHEN ${u('st')} < 0.98 THEN 'ABORTED' ELSE 'SUSPENDED' END`,
  contract: `CONCAT('contract-', LPAD(FLOOR(POW(${u('ct')}, 2) * 20), 2, '0'))`,
  submitted_by: `CONCAT('user-', FLOOR(POW(${u('us')}, 3) * 200))`,
  queue: `CASE WHEN ${u('qu')} < 0.40 THEN 'default' WHEN ${u('qu')} < 0.70 THEN 'imports' WHEN ${u('qu')} < 0.85 THEN 'exports'
    WHEN ${u('qu')} < 0.95 THEN 'reports' ELSE 'priority' END`,
};

/** Every job ready to claim, in one queue: what the dispatch scenario drains. */
const DISPATCH_COLUMNS = {
  status: `'SUBMITTED'`,
  contract: `'acme-orders'`,
  submitted_by: `'bench'`,
  queue: `'imports'`,
};

async function seed(pool, rows, columns) {
  const spanSeconds = 365 * 86400;
  for (let offset = 0; offset < rows; offset += CHUNK) {
    const size = Math.min(CHUNK, rows - offset);
    const created = `(UTC_TIMESTAMP(3) - INTERVAL ${spanSeconds} SECOND + INTERVAL FLOOR((s.seq + @offset) * ${spanSeconds / rows}) SECOND)`;
    const sql = `
      INSERT INTO jobs (ipid, status, status_message, created_at, updated_at, submitted_by, queue, actor, contract,
        contract_type, contract_action, contract_action_trigger, workflow_instance_id, workflow_template_id,
        workflow_template_name, workflow_template_revision, workflow_template_description, dfiid, lcid, user_attrs,
        ext_ipid, action_variables, priority, attempts, max_attempts, timeout_seconds)
      SELECT SHA2(CONCAT('seed-', s.seq + @offset), 256), ${columns.status}, '', ${created},
        ${created} + INTERVAL FLOOR(${u('up')} * 3600) SECOND, ${columns.submitted_by}, ${columns.queue}, 'ACME',
        ${columns.contract}, 'INPUT', 'import', 'MANUAL', UUID(), 7, 'import-orders', 3, 'Imports the orders of one day',
        UUID(), CONCAT('seed-', s.seq + @offset), '{}', CONCAT('seed-', s.seq + @offset),
        '{"date":"2026-11-23","source":"sftp","dryRun":false,"maxOrders":10000}', 0, 0, 3, 900
      FROM seq_1_to_${size} s`;
    await pool.query(sql.replaceAll('@offset', String(offset)));
  }
  // Fresh statistics, as a table this size would have in production.
  await pool.query('ANALYZE TABLE jobs');
}

export const seedListingJobs = (pool, rows) => seed(pool, rows, LISTING_COLUMNS);
export const seedDispatchJobs = (pool, rows) => seed(pool, rows, DISPATCH_COLUMNS);
