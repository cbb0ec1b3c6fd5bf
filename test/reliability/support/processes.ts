import { ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const DIST = resolve(__dirname, '../../../dist');
export const GATEWAY_MAIN = join(DIST, 'main.js');
export const EXAMPLE_WORKER = join(DIST, 'worker-example/example-worker.js');

/** Every child this suite started; none may outlive it, whatever way the run ends. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface RunningProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves when the process has exited, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `node script` with only the given environment (and PATH), output appended to `logFile`. */
export function spawnNode(name: string, script: string, env: Record<string, string>, logFile: string): RunningProcess {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', log, log],
  });
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolveExit({ code, signal });
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    pid: child.pid ?? -1,
    logFile,
    exited,
    alive,
    signal: (signal) => {
      if (alive()) child.kill(signal);
    },
    stop: async (graceMs = 10_000) => {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface Gateway extends RunningProcess {
  /** http://127.0.0.1:<port>/ghibli-rest/v2 */
  api: string;
}

/** A real gateway process (`node dist/main.js`), on a free port, logging JSON to `<dir>/<name>.log`. */
export async function startGateway(name: string, dir: string, env: Record<string, string>): Promise<Gateway> {
  const logFile = join(dir, `${name}.log`);
  const running = spawnNode(
    name,
    GATEWAY_MAIN,
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_FORMAT: 'json',
      // The load comes from one principal on purpose; the per-principal limits have their own tests.
      RATE_LIMIT_SUBMIT_PER_SECOND: '0',
      RATE_LIMIT_CLAIM_PER_SECOND: '0',
      ...env,
    },
    logFile,
  );
  const deadline = Date.now() + 90_000;
  for (;;) {
    const api = /"api":"(http:\/\/127\.0\.0\.1:\d+[^"]*)"/.exec(readFileSync(logFile, 'utf8'))?.[1];
    if (api) return { ...running, api };
    if (!running.alive() || Date.now() > deadline) {
      running.signal('SIGKILL');
      throw new Error(`gateway ${name} did not become ready; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    await sleep(100);
  }
}

/** The example worker (`node dist/worker-example/example-worker.js`), logging to `<dir>/<name>.log`. */
export function startExampleWorker(name: string, dir: string, env: Record<string, string>): RunningProcess {
  return spawnNode(name, EXAMPLE_WORKER, { WORKER_ID: name, ...env }, join(dir, `${name}.log`));
}

/** Lines of a gateway log that report a 5xx answer. */
export function serverErrorsLogged(logFile: string): string[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => /"status":5\d\d/.test(line));
}
