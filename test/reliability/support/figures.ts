import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where each scenario leaves its figures; test/reliability/write-report.mjs turns them into docs. */
export const RESULTS_DIR = resolve(__dirname, '../results');

export interface ScenarioFigures {
  scenario: string;
  title: string;
  requests: number;
  duplicates: number;
  faultsInjected: string[];
  jobsLost: number;
  /** 5xx answers outside a deliberate database outage (the outage's own 503s are not counted). */
  serverErrors: number;
  durationMs: number;
  details: Record<string, number | string>;
}

export function writeFigures(figures: ScenarioFigures): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${figures.scenario}.json`), `${JSON.stringify({ ...figures, finishedAt: new Date().toISOString() }, null, 2)}\n`);
}
