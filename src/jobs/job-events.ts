import { Injectable } from '@nestjs/common';

type Waiter = { queues: readonly string[]; wake: () => void };

/**
 * Wakes long-polling claims in this process as soon as a job is submitted to one of their queues,
 * instead of at their next poll.
 */
@Injectable()
export class JobEvents {
  private readonly waiters = new Set<Waiter>();

  submitted(queue: string): void {
    for (const waiter of this.waiters) if (waiter.queues.includes(queue)) waiter.wake();
  }

  wakeAll(): void {
    for (const waiter of this.waiters) waiter.wake();
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
}
