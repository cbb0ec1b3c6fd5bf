import { existsSync, rmSync } from 'node:fs';
import { canRunPrivateMariaDb } from '../setup/private-mariadb';
import { hasMysql } from '../setup/test-database';
import { RESULTS_DIR } from './support/figures';
import { EXAMPLE_WORKER, GATEWAY_MAIN } from './support/processes';

/** Says loudly what will be skipped and why, and clears the figures of an earlier run. */
export default function prepareReliabilityRun() {
  for (const file of [GATEWAY_MAIN, EXAMPLE_WORKER]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  }
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  const lines = [
    hasMysql
      ? 'reliability: shared-server scenarios on MySQL/MariaDB from TEST_DATABASE_URL'
      : 'reliability: TEST_DATABASE_URL is not a mysql:// URL: the retry storm, crash, worker-death and slow-client scenarios are SKIPPED',
    canRunPrivateMariaDb
      ? 'reliability: database outage on a private MariaDB server (mariadbd found)'
      : 'reliability: mariadbd / mariadb-install-db not found: the database-outage scenario is SKIPPED',
  ];
  process.stdout.write(`\n${lines.map((line) => `*** ${line} ***`).join('\n')}\n\n`);
}
