/** At most `slots` tasks run and `maxWaiting` wait; beyond, `run` answers undefined at once, so callers shed load. */
export class BoundedSemaphore {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly slots: number,
    readonly maxWaiting: number,
  ) {}

  run<T>(task: () => Promise<T>): Promise<T> | undefined {
    if (this.running >= this.slots && this.waiting.length >= this.maxWaiting) return undefined;
    return this.inSlot(task);
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private async inSlot<T>(task: () => Promise<T>): Promise<T> {
    // A released slot passes straight to the next waiter, so `running` counts it throughout.
    if (this.running < this.slots) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
