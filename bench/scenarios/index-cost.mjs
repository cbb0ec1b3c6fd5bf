// What the list indexes cost on submission: unique submits into a database with every index of
// the migrations, and into one where the seven list indexes were dropped, alternating.
import { startGateway } from '../lib/gateway.mjs';
import { ratio, summarizeRounds } from '../lib/stats.mjs';
import { runSubmitPhase, SUBMIT_SCENARIOS } from './submit.mjs';

export const LIST_INDEXES = [
  'IDX_jobs_status_id',
  'IDX_jobs_contract_id',
  'IDX_jobs_submitted_by_id',
  'IDX_jobs_queue_id',
  'IDX_jobs_created_at_id',
  'IDX_jobs_updated_at_id',
  'IDX_jobs_submitted_by_facets',
];

export async function runIndexCost({ databases, settings, log, logFile, launch }) {
  const targets = [];
  for (const variant of ['withListIndexes', 'withoutListIndexes']) {
    const database = await databases.mysql(variant === 'withListIndexes' ? 'idx' : 'noidx');
    const server = await launch(() => startGateway({ databaseUrl: database.url, logFile, logLevel: settings.logLevel }));
    if (variant === 'withoutListIndexes') {
      const pool = databases.pool(database.url, 1);
      try {
        for (const index of LIST_INDEXES) await pool.query(`DROP INDEX \`${index}\` ON jobs`);
      } finally {
        await pool.end();
      }
    }
    targets.push({ name: variant, server, apiKey: server.apiKey });
  }
  const phases = Object.fromEntries(targets.map((target) => [target.name, []]));
  for (let roundIndex = 0; roundIndex < settings.rounds; roundIndex++) {
    for (const target of targets) {
      const phase = await runSubmitPhase(target, SUBMIT_SCENARIOS.unique, settings.durationMs, `idx-${target.name}-${roundIndex}`);
      phases[target.name].push(phase);
      log(`  round ${roundIndex + 1} ${target.name}: ${phase.rps} req/s, p99 ${phase.p99Ms} ms`);
    }
  }
  const summary = Object.fromEntries(Object.entries(phases).map(([name, list]) => [name, summarizeRounds(list)]));
  return {
    indexes: LIST_INDEXES,
    summary,
    ratio: ratio(summary.withListIndexes.rps, summary.withoutListIndexes.rps),
    rounds: phases,
  };
}
