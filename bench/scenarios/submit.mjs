// Scenarios 1–3 (unique submits, retry storm, racing duplicates), run against every target in
// turn within each round (gateway A, baseline B, A, B …), so both see the same machine weather.
import { runLoad } from '../lib/load.mjs';
import { seededRandom } from '../lib/seeded-random.mjs';
import { JOBS_PATH } from '../lib/gateway.mjs';
import { measuringRss, median, ratio, statementCounters, statementsPer, summarizeRounds, unexpectedAnswers } from '../lib/stats.mjs';

const HOT_KEYS = 50;
const HOT_SHARE = 0.9;
const RACE_BURST = 100;
const BODY = { contractName: 'acme-orders', actionName: 'import', actionVariables: { date: '2026-11-23' } };

export const SUBMIT_SCENARIOS = {
  unique: {
    title: 'Unique submits (c=32, keep-alive, all new extIPIDs)',
    concurrency: 32,
    expected: [201],
    keys: (prefix) => (i) => `${prefix}-${i}`,
  },
  retryStorm: {
    title: `Retry storm (c=32, ${HOT_SHARE * 100}% repeat one of ${HOT_KEYS} hot extIPIDs)`,
    concurrency: 32,
    expected: [201, 409],
    keys: (prefix) => {
      const random = seededRandom(42);
      return (i) => (random() < HOT_SHARE ? `hot-${Math.floor(random() * HOT_KEYS)}` : `${prefix}-${i}`);
    },
  },
  lone: {
    title: 'A lone client (c=1, all new extIPIDs)',
    concurrency: 1,
    expected: [201],
    keys: (prefix) => (i) => `${prefix}-${i}`,
  },
  racing: {
    title: `Racing duplicates (bursts of ${RACE_BURST} identical submissions)`,
    concurrency: RACE_BURST,
    bursts: true,
    expected: [201, 409],
    keys: (prefix) => (i) => `${prefix}-${Math.floor(i / RACE_BURST)}`,
  },
};

/** The request a target understands: the gateway takes an API key, the baseline any Basic user. */
export function submitRequest(target, extIPID) {
  const headers = target.apiKey
    ? { 'x-api-key': target.apiKey }
    : { authorization: `Basic ${Buffer.from('bench:unused').toString('base64')}` };
  return { method: 'POST', path: JOBS_PATH, headers, body: { ...BODY, extIPID } };
}

/** One timed phase of a scenario against one target. */
export async function runSubmitPhase(target, scenario, durationMs, prefix) {
  const keyFor = scenario.keys(prefix);
  const before = target.counters ? await statementCounters(target.counters) : undefined;
  const load = await measuringRss(target.server, () =>
    runLoad({
      url: target.server.url,
      concurrency: scenario.concurrency,
      durationMs,
      bursts: scenario.bursts ?? false,
      makeRequest: (i) => submitRequest(target, keyFor(i)),
    }),
  );
  const extra = {};
  if (scenario.bursts) {
    // Exactly one 201 per complete burst: a second one would be a broken idempotency guarantee.
    extra.bursts = Math.floor(load.requests / scenario.concurrency);
    extra.created = load.statusCounts[201] ?? 0;
  }
  if (before) extra.statementsPerRequest = statementsPer(before, await statementCounters(target.counters), load.requests).statements;
  return { ...load, ...extra, unexpected: unexpectedAnswers(load, scenario.expected) };
}

/**
 * @param {{name: string, server: object, apiKey?: string, counters?: object}[]} targets in alternation order; `counters`, a
 *   pool on the target's MariaDB server, counts statements per request
 * @param {string[]} scenarioNames keys of SUBMIT_SCENARIOS
 * @param {{rounds: number, durationMs: number, warmupMs: number, log: (line: string) => void, runId: string}} settings
 */
export async function runSubmitScenarios(targets, scenarioNames, { rounds, durationMs, warmupMs, log, runId }) {
  const results = {};
  // V8 compiles the gateway's hot paths during its first seconds of load: without this, round 1
  // measures the JIT (434 → 667 → 991 req/s over three rounds in the first full run).
  if (warmupMs > 0) {
    for (const target of targets) {
      const phase = await runSubmitPhase(target, SUBMIT_SCENARIOS.unique, warmupMs, `${runId}-warmup-${target.name}`);
      log(`  warm-up ${target.name}: ${phase.rps} req/s (not measured)`);
    }
  }
  for (const name of scenarioNames) {
    const scenario = SUBMIT_SCENARIOS[name];
    const perTarget = Object.fromEntries(targets.map((target) => [target.name, []]));
    for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
      for (const target of targets) {
        const phase = await runSubmitPhase(target, scenario, durationMs, `${runId}-${name}-${target.name}-${roundIndex}`);
        perTarget[target.name].push(phase);
        log(`  ${name} round ${roundIndex + 1} ${target.name}: ${phase.rps} req/s, p99 ${phase.p99Ms} ms, ${phase.cpuMsPerRequest} CPU ms/req, ${phase.statementsPerRequest ?? '—'} statements/req, ${phase.unexpected} errors`);
      }
    }
    const summary = Object.fromEntries(
      Object.entries(perTarget).map(([target, phases]) => [
        target,
        { ...summarizeRounds(phases), statementsPerRequest: median(phases.map((phase) => phase.statementsPerRequest)) },
      ]),
    );
    results[name] = {
      title: scenario.title,
      concurrency: scenario.concurrency,
      summary,
      ratio: ratio(summary.gateway?.rps, summary.baseline?.rps),
      ...(summary.reference
        ? { vsReference: { rps: ratio(summary.gateway?.rps, summary.reference.rps), p50: ratio(summary.gateway?.p50Ms, summary.reference.p50Ms) } }
        : {}),
      rounds: perTarget,
    };
  }
  return results;
}
