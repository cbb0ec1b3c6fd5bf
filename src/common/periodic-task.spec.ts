import { describe, expect, it } from 'vitest';
import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  it('skips a pass while the previous one runs, then runs again', async () => {
    let release = () => {};
    let passes = 0;
    const task = new PeriodicTask(
      () => new Promise<number>((resolve) => (release = () => resolve(++passes))),
      () => -1,
    );
    const first = task.runOnce();
    expect(await task.runOnce()).toBeUndefined();
    release();
    expect(await first).toBe(1);
    const second = task.runOnce();
    release();
    expect(await second).toBe(2);
  });

  it('hands a failing pass to onError and never throws', async () => {
    const errors: unknown[] = [];
    const task = new PeriodicTask<number>(
      () => Promise.reject(new Error('down')),
      (error) => (errors.push(error), 0),
    );
    expect(await task.runOnce()).toBe(0);
    expect(errors).toEqual([new Error('down')]);
  });

  it('stops its timer and waits for the pass in flight', async () => {
    let started = 0;
    let finished = false;
    const task = new PeriodicTask(
      () => {
        started++;
        return new Promise<void>((resolve) => setTimeout(() => resolve((finished = true, undefined)), 20));
      },
      () => undefined,
    );
    task.start(1);
    while (started === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await task.stop();
    expect(finished).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started).toBe(1);
  });
});
