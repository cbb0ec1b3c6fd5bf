// Summaries over rounds: medians for rates and latencies, sums for errors, maxima for memory.

export function median(values) {
  const sorted = values.filter((value) => value !== null && value !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const round = (value, digits = 1) => (value === null || value === undefined ? null : Number(value.toFixed(digits)));

export const ratio = (numerator, denominator) => (numerator && denominator ? round(numerator / denominator, 2) : null);

/** Runs `work` while sampling the process's VmRSS; answers its result with `peakRssMb`. */
export async function measuringRss(server, work) {
  let peakKb = server.memory()?.rssKb ?? 0;
  const sampler = setInterval(() => {
    peakKb = Math.max(peakKb, server.memory()?.rssKb ?? 0);
  }, 200);
  try {
    const result = await work();
    peakKb = Math.max(peakKb, server.memory()?.rssKb ?? 0);
    return { ...result, peakRssMb: round(peakKb / 1024) };
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
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
  };
}
