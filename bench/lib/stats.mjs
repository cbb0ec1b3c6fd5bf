import { readFileSync } from 'node:fs';

// Summaries over rounds: medians for rates and latencies, sums for errors, maxima for memory.

export function median(values) {
  const sorted = values.filter((value) => value !== null && value !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const round = (value, digits = 1) => (value === null || value === undefined ? null : Number(value.toFixed(digits)));

export const ratio = (numerator, denominator) => (numerator && denominator ? round(numerator / denominator, 2) : null);

/** User + system CPU time of a process in ms (Linux clock ticks are 10 ms), or null. */
function cpuTimeMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * Runs `work` while sampling the process's VmRSS; answers its result with `peakRssMb` and the
 * server's CPU time per answered request, a figure that other load on the machine disturbs far
 * less than throughput.
 */
export async function measuringRss(server, work) {
  const cpuBefore = cpuTimeMs(server.pid);
  let peakKb = server.memory()?.rssKb ?? 0;
  const sampler = setInterval(() => {
    peakKb = Math.max(peakKb, server.memory()?.rssKb ?? 0);
  }, 200);
  try {
    const result = await work();
    peakKb = Math.max(peakKb, server.memory()?.rssKb ?? 0);
    const cpuAfter = cpuTimeMs(server.pid);
    const answered = result.requests ?? result.cycles;
    const cpuMsPerRequest = cpuBefore !== null && cpuAfter !== null && answered ? round((cpuAfter - cpuBefore) / answered, 3) : null;
    return { ...result, peakRssMb: round(peakKb / 1024), cpuMsPerRequest };
  } finally {
    clearInterval(sampler);
  }
}

/** Requests that did not get one of the expected statuses, plus transport errors. */
export function unexpectedAnswers(load, expected) {
  const wrong = Object.entries(load.statusCounts)
    .filter(([status]) => !expected.includes(Number(status)))
    .reduce((sum, [, count]) => sum + count, 0);
  return load.errors + wrong;
}

export function summarizeRounds(rounds) {
  return {
    rps: round(median(rounds.map((r) => r.rps))),
    p50Ms: round(median(rounds.map((r) => r.p50Ms)), 2),
    p99Ms: round(median(rounds.map((r) => r.p99Ms)), 2),
    errors: rounds.reduce((sum, r) => sum + r.unexpected, 0),
    peakRssMb: Math.max(...rounds.map((r) => r.peakRssMb ?? 0)),
    cpuMsPerRequest: round(median(rounds.map((r) => r.cpuMsPerRequest)), 3),
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
  };
}

const COUNTERS = ['Questions', 'Com_select', 'Com_insert', 'Com_update', 'Com_delete', 'Com_commit'];

/** The server's statement counters (global: the bench assumes nothing else uses the server meanwhile). */
export async function statementCounters(pool) {
  const [rows] = await pool.query(`SHOW GLOBAL STATUS WHERE Variable_name IN (${COUNTERS.map(() => '?').join(', ')})`, COUNTERS);
  return Object.fromEntries(rows.map((row) => [row.Variable_name, Number(row.Value)]));
}

/** Statements and commits per answered request between two readings, less the reading's own SHOW. */
export function statementsPer(before, after, count) {
  const per = (counter, own = 0) => round((after[counter] - before[counter] - own) / Math.max(count, 1), 2);
  return {
    statements: per('Questions', 1),
    commits: per('Com_commit'),
    byKind: { select: per('Com_select'), insert: per('Com_insert'), update: per('Com_update'), delete: per('Com_delete') },
  };
}
