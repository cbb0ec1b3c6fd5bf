// Start a server under test as a child process, wait until it says it is ready, watch its memory,
// and stop it: SIGTERM, then SIGKILL after a grace period.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { createInterface } from 'node:readline';

const TAIL_LINES = 50;
const live = new Set();

// A crashed or interrupted bench must not leave servers running behind it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** VmRSS and VmHWM (peak RSS) of a live process in KiB, or null when /proc cannot be read. */
export function readMemoryKb(pid) {
  let status;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const field = (name) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return match ? Number(match[1]) : null;
  };
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

function readyFromJsonLine(line) {
  try {
    const value = JSON.parse(line);
    return value?.ready === true ? value : null;
  } catch {
    return null;
  }
}

function portOf(ready) {
  if (ready === null || typeof ready !== 'object') return null;
  const port = Array.isArray(ready) ? (ready.groups?.port ?? ready[1]) : ready.port;
  return port === undefined ? null : Number(port);
}

/**
 * @param {object} options
 * @param {string} options.script path of the node script to run
 * @param {string[]} [options.args]
 * @param {Record<string, string>} [options.env] added to the parent's environment
 * @param {string} [options.cwd]
 * @param {string[]} [options.nodeArgs] flags for node itself, e.g. ['--max-old-space-size=256']
 * @param {RegExp} [options.readyPattern] matched against each stdout line; the port is taken from the
 *   named group `port` or group 1. Default: a JSON line with `"ready": true` and `port`.
 * @param {number} [options.stdout] a file descriptor that receives the child's stdout instead of a pipe
 *   (a log file: the child writes it directly, the bench spends no CPU reading it)
 * @param {(child: import('node:child_process').ChildProcess) => Promise<unknown>} [options.ready] resolves
 *   once the child is ready, instead of watching stdout (required with `stdout`)
 * @param {number} [options.readyTimeoutMs=15000]
 * @param {number} [options.sampleIntervalMs=250] VmRSS sampling period
 * @returns {Promise<{pid: number, port: number|null, ready: object, child: import('node:child_process').ChildProcess,
 *   memory: () => {rssKb: number|null, hwmKb: number|null}|null, output: () => {stdout: string[], stderr: string[]},
 *   stop: (graceMs?: number) => Promise<StopResult>}>}
 *
 * @typedef {object} StopResult
 * @property {number|null} code exit code
 * @property {string|null} signal the signal that ended it, if any
 * @property {boolean} killed whether SIGKILL was needed
 * @property {number|null} peakRssKb VmHWM just before SIGTERM
 * @property {number|null} lastRssKb VmRSS just before SIGTERM
 * @property {number|null} maxSampledRssKb largest periodic VmRSS sample
 * @property {number} samples number of periodic samples taken
 */
export async function startProcess({
  script,
  args = [],
  env = {},
  cwd,
  nodeArgs = [],
  readyPattern,
  stdout,
  ready: readyCheck,
  readyTimeoutMs = 15_000,
  sampleIntervalMs = 250,
}) {
  if (stdout !== undefined && !readyCheck) throw new Error('startProcess: `ready` is required when stdout goes to a file');
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout ?? 'pipe', 'pipe'],
  });
  live.add(child);

  const tails = { stdout: [], stderr: [] };
  let spawnError = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.on('error', (err) => {
      spawnError ??= err;
      // A child that never spawned emits no 'exit'.
      if (child.pid === undefined) {
        live.delete(child);
        resolve({ code: null, signal: null });
      }
    });
  });

  // Both streams must be drained for the whole run, or the child blocks once a pipe buffer fills.
  let onStdoutLine = null;
  for (const name of stdout === undefined ? ['stdout', 'stderr'] : ['stderr']) {
    createInterface({ input: child[name], crlfDelay: Infinity }).on('line', (line) => {
      const tail = tails[name];
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      if (name === 'stdout') onStdoutLine?.(line);
    });
  }

  const describe = () => `${script} (pid ${child.pid})\n--- stderr (tail) ---\n${tails.stderr.join('\n')}`;
  let ready;
  try {
    ready = await new Promise((resolve, reject) => {
      const finish = (err, value) => {
        clearTimeout(timer);
        child.off('close', onClose);
        child.off('error', onError);
        onStdoutLine = null;
        if (err) reject(err);
        else resolve(value);
      };
      const timer = setTimeout(() => finish(new Error(`not ready within ${readyTimeoutMs} ms: ${describe()}`)), readyTimeoutMs);
      // 'close' rather than 'exit': by then stderr has been read, so the message shows why it died.
      const onClose = (code, signal) =>
        finish(new Error(`exited before ready (code ${code}, signal ${signal}): ${describe()}`));
      const onError = (err) => finish(err);
      child.once('close', onClose);
      child.once('error', onError);
      if (spawnError) onError(spawnError);
      if (readyCheck) {
        readyCheck(child).then((value) => finish(null, value ?? {}), (err) => finish(err));
        return;
      }
      onStdoutLine = (line) => {
        const found = readyPattern ? readyPattern.exec(line) : readyFromJsonLine(line);
        if (found) finish(null, found);
      };
    });
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }

  let maxSampledRssKb = null;
  let samples = 0;
  const sample = () => {
    const memory = readMemoryKb(child.pid);
    if (memory?.rssKb == null) return memory;
    samples++;
    maxSampledRssKb = Math.max(maxSampledRssKb ?? 0, memory.rssKb);
    return memory;
  };
  sample();
  const sampler = setInterval(sample, sampleIntervalMs);
  sampler.unref();

  let stopping = null;
  async function stop(graceMs = 5000) {
    stopping ??= (async () => {
      clearInterval(sampler);
      // Read memory before signalling: /proc/<pid> disappears with the process.
      const last = child.exitCode === null && child.signalCode === null ? sample() : null;
      let killed = false;
      if (last) {
        child.kill('SIGTERM');
        let graceTimer;
        const outcome = await Promise.race([
          exited,
          new Promise((resolve) => {
            graceTimer = setTimeout(() => resolve(null), graceMs);
          }),
        ]);
        clearTimeout(graceTimer);
        if (outcome === null) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
      const { code, signal } = await exited;
      return {
        code,
        signal,
        killed,
        peakRssKb: last?.hwmKb ?? null,
        lastRssKb: last?.rssKb ?? null,
        maxSampledRssKb,
        samples,
      };
    })();
    return stopping;
  }

  return {
    pid: child.pid,
    port: portOf(ready),
    ready,
    child,
    memory: () => readMemoryKb(child.pid),
    output: () => ({ stdout: [...tails.stdout], stderr: [...tails.stderr] }),
    stop,
  };
}
