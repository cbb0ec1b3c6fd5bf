import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import type { OpenQueue, QueueGate } from '../jobs';
import { QUEUE_DEFAULTS, QueueEntity } from './queue.entity';
import { isOpen } from './queue-schedule';

/**
 * The claim's view of the queues, read in its transaction so a change counts for the next claim on
 * every instance. Bounded queues are locked: their RUNNING count cannot move until the claim commits.
 */
@Injectable()
export class QueueClaimGate implements QueueGate {
  constructor(private readonly database: Database) {}

  async openForClaim(manager: EntityManager, names: string[], now: Date): Promise<OpenQueue[]> {
    const wanted = [...new Set(names)];
    const rows = await manager.findBy(QueueEntity, wanted.map((name) => ({ name })));
    const byName = new Map(rows.map((row) => [row.name, row]));
    // A queue named by a claim but declared nowhere behaves as the defaults say.
    const open = wanted.map((name) => byName.get(name) ?? { ...QUEUE_DEFAULTS, name }).filter((queue) => isOpen(queue, now));
    const bounded = open.filter((queue) => queue.parallelism > 0).map((queue) => queue.name);
    if (bounded.length > 0 && this.database.isMysql) {
      // Locked in primary-key order, so claims of overlapping queue sets cannot deadlock on them (docs/queues.md, "Parallelism").
      const locked = (await manager.query(
        `SELECT name, parallelism FROM queues WHERE name IN (${bounded.map(() => '?').join(', ')}) ORDER BY name FOR UPDATE`,
        bounded,
      )) as { name: string; parallelism: number | string }[];
      if (this.database.isGalera) await this.certifyAgainstOtherNodes(manager, bounded);
      for (const row of locked) {
        const queue = open.find((candidate) => candidate.name === row.name);
        if (queue) queue.parallelism = Number(row.parallelism);
      }
    }
    return open.map(({ name, priority, parallelism }) => ({ name, priority, parallelism }));
  }

  /** FOR UPDATE is node-local on Galera: a real change of the rows makes racing claims of one queue on two nodes conflict at commit (docs/galera.md, "What the gateway does differently"). */
  private async certifyAgainstOtherNodes(manager: EntityManager, names: string[]): Promise<void> {
    const where = `WHERE name IN (${names.map(() => '?').join(', ')})`;
    // An UPDATE to the same value writes no row event, so it would certify nothing: change and restore.
    await manager.query(`UPDATE queues SET parallelism = parallelism + 1 ${where}`, names);
    await manager.query(`UPDATE queues SET parallelism = parallelism - 1 ${where}`, names);
  }
}
