import type { EntityManager } from 'typeorm';

/** A queue that may hand out jobs now, as the claim orders and bounds them. */
export interface OpenQueue {
  name: string;
  /** 1-10: a claim serves higher queues first. */
  priority: number;
  /** At most this many RUNNING jobs; 0: unbounded. */
  parallelism: number;
}

/**
 * The queues' say in a claim, asked inside the claim's transaction: which of the named queues are open
 * at `now`, with their bounded ones locked until it commits. Implemented by queues/, which depends on jobs/.
 */
export interface QueueGate {
  openForClaim(manager: EntityManager, names: string[], now: Date): Promise<OpenQueue[]>;
}

export const QUEUE_GATE = Symbol('QueueGate');
