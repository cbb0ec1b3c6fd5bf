/**
 * A background pass every `intervalMs` that never keeps the process alive: a pass is skipped while
 * the previous one runs, a failing pass is handed to `onError`, and stop() waits for the one in flight.
 */
export class PeriodicTask<T> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<T>;

  constructor(
    private readonly pass: () => Promise<T>,
    private readonly onError: (error: unknown) => T,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  /** One pass now; undefined when one is already running. Never throws. */
  async runOnce(): Promise<T | undefined> {
    if (this.running) return undefined;
    this.running = this.pass().catch(this.onError);
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/** Runs `batch` until one comes back short of `size` (a backlog drains within a pass) or `stopped()`; answers the total. */
export async function drainBatches(batch: () => Promise<number>, size: number, stopped: () => boolean): Promise<number> {
  let total = 0;
  while (!stopped()) {
    const done = await batch();
    total += done;
    if (done < size) break;
  }
  return total;
}
