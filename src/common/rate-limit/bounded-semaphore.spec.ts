import { describe, expect, it } from 'vitest';
import { BoundedSemaphore } from './bounded-semaphore';

/** A task that runs until released, recording how many tasks ran at once. */
function gatedTasks() {
  let running = 0;
  let peak = 0;
  const releases: (() => void)[] = [];
  const task = async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise<void>((resolve) => releases.push(resolve));
    running--;
    return 'done';
  };
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return { task, releases, flush, peak: () => peak };
}

describe('BoundedSemaphore', () => {
  it('runs at most `slots` tasks at once, queues up to `maxWaiting`, and refuses the rest at once', async () => {
    const semaphore = new BoundedSemaphore(2, 3);
    const { task, releases, flush, peak } = gatedTasks();
    const accepted = Array.from({ length: 5 }, () => semaphore.run(task));
    expect(accepted.every((run) => run !== undefined)).toBe(true);
    expect(semaphore.run(task)).toBeUndefined();
    await flush();
    expect([semaphore.active, semaphore.queued, releases.length]).toEqual([2, 3, 2]);

    while (releases.length > 0) {
      releases.shift()?.();
      await flush();
    }
    expect(await Promise.all(accepted)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(peak()).toBe(2);
    expect([semaphore.active, semaphore.queued]).toEqual([0, 0]);
  });

  it('frees the slot of a task that fails', async () => {
    const semaphore = new BoundedSemaphore(1, 0);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(async () => 'next')).resolves.toBe('next');
    expect(semaphore.active).toBe(0);
  });

  it('refuses everything beyond the slots when maxWaiting is 0', async () => {
    const semaphore = new BoundedSemaphore(1, 0);
    const { task, releases, flush } = gatedTasks();
    const first = semaphore.run(task);
    expect(semaphore.run(task)).toBeUndefined();
    await flush();
    releases.shift()?.();
    await expect(first).resolves.toBe('done');
    expect(semaphore.run(async () => 'again')).toBeDefined();
  });
});
