// Writes the figures of the last reliability run (test/reliability/results/*.json) into
// docs/reliability.md, between its two marker comments. Run by `npm run test:reliability` after a
// green run; a scenario that was skipped is listed as not run, never with older figures.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const DOC = fileURLToPath(new URL('../../docs/reliability.md', import.meta.url));
const START = '<!-- reliability-figures:start -->';
const END = '<!-- reliability-figures:end -->';
const SCENARIOS = [
  ['retry-storm', 'Retry storm'],
  ['gateway-crash', 'Crash mid-flight'],
  ['worker-death', 'Worker death'],
  ['database-outage', 'Database outage'],
  ['hostile-clients', 'Slow clients and big bodies'],
  ['webhooks', 'Webhooks: failing receiver, kill -9 of the sender'],
];

const results = new Map(
  (existsSync(RESULTS) ? readdirSync(RESULTS) : [])
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const figures = JSON.parse(readFileSync(`${RESULTS}${file}`, 'utf8'));
      return [figures.scenario, figures];
    }),
);
if (results.size === 0) {
  console.error('write-report: no figures in test/reliability/results: nothing to write');
  process.exit(1);
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const lines = [
  `Last run: ${[...results.values()].map((figures) => figures.finishedAt).sort().at(-1)}, Node ${process.version}, ${process.platform}.`,
  '',
  '| scenario | requests | duplicates | faults injected | jobs lost | 5xx outside the outage | duration |',
  '| --- | ---: | ---: | --- | ---: | ---: | ---: |',
];
for (const [scenario, title] of SCENARIOS) {
  const figures = results.get(scenario);
  lines.push(
    figures
      ? `| ${title} | ${figures.requests} | ${figures.duplicates} | ${figures.faultsInjected.join('; ')} | ${figures.jobsLost} | ${figures.serverErrors} | ${seconds(figures.durationMs)} |`
      : `| ${title} | not run | | | | | |`,
  );
}
for (const [scenario, title] of SCENARIOS) {
  const figures = results.get(scenario);
  if (!figures) continue;
  lines.push('', `**${title}** (\`${scenario}\`):`, '');
  for (const [name, value] of Object.entries(figures.details)) lines.push(`- ${name}: ${value}`);
}

const doc = readFileSync(DOC, 'utf8');
const start = doc.indexOf(START);
const end = doc.indexOf(END);
if (start < 0 || end < start) {
  console.error(`write-report: ${DOC} lacks the markers ${START} … ${END}`);
  process.exit(1);
}
writeFileSync(DOC, `${doc.slice(0, start + START.length)}\n${lines.join('\n')}\n${doc.slice(end)}`);
console.log(`write-report: figures of ${results.size} scenario(s) written to docs/reliability.md`);
