import { Injectable } from '@nestjs/common';

type Waiter = { queues: readonly string[]; wake: () => void };

/**
 * In-process wake-ups: long-polling claims as soon as a job is submitted to one of their queues, and
 * waits on a job as soon as this instance changes it, instead of at their next poll.
 */
@Injectable()
export class JobSignals {
  private readonly waiters = new Set<Waiter>();
  private readonly jobWaiters = new Map<string, Set<() => void>>();

  submitted(queue: string): void {
    for (const waiter of this.waiters) if (waiter.queues.includes(queue)) waiter.wake();
  }

  /** This instance changed the job (or a poll saw it finish): its waiters look again. */
  jobChanged(id: string): void {
    for (const wake of this.jobWaiters.get(id) ?? []) wake();
  }

  wakeAll(): void {
    for (const waiter of this.waiters) waiter.wake();
    for (const wakers of this.jobWaiters.values()) for (const wake of wakers) wake();
  }

  waitForSubmission(queues: readonly string[], timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        queues,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Resolves true when the job is signalled, false after `timeoutMs` or when `gone` aborts. */
  waitForJob(id: string, timeoutMs: number, gone?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const wakers = this.jobWaiters.get(id) ?? new Set<() => void>();
      this.jobWaiters.set(id, wakers);
      const settle = (woken: boolean) => {
        clearTimeout(timer);
        gone?.removeEventListener('abort', onGone);
        wakers.delete(wake);
        if (wakers.size === 0 && this.jobWaiters.get(id) === wakers) this.jobWaiters.delete(id);
        resolve(woken);
      };
      const wake = () => settle(true);
      const onGone = () => settle(false);
      const timer = setTimeout(() => settle(false), timeoutMs);
      gone?.addEventListener('abort', onGone);
      wakers.add(wake);
    });
  }

  /** The jobs some request is waiting on in this instance. */
  waitedJobs(): string[] {
    return [...this.jobWaiters.keys()];
  }
}
