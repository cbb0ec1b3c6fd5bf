import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { isUniqueViolation } from '../database/database-errors';
import { QUEUE_DEFAULTS, QueueEntity } from './queue.entity';

export type QueueFields = Omit<QueueEntity, 'name' | 'createdAt' | 'updatedAt'>;

/** Every query of the queues table outside the claim (queue-gate.ts reads it inside the claim's transaction). */
@Injectable()
export class QueuesRepository {
  constructor(private readonly database: Database) {}

  list(): Promise<QueueEntity[]> {
    return this.database.read((manager) => manager.find(QueueEntity, { order: { name: 'ASC' } }));
  }

  count(): Promise<number> {
    return this.database.read((manager) => manager.count(QueueEntity));
  }

  find(name: string): Promise<QueueEntity | null> {
    return this.database.read((manager) => manager.findOneBy(QueueEntity, { name }));
  }

  /** Inserts the defaults for each name without a row; an instance racing us to the same name is fine. */
  async insertMissing(names: string[]): Promise<void> {
    if (names.length === 0) return;
    const existing = new Set((await this.database.read((manager) => manager.findBy(QueueEntity, { name: In(names) }))).map((row) => row.name));
    for (const name of names.filter((candidate) => !existing.has(candidate))) {
      const now = new Date();
      try {
        await this.database.write((manager) => manager.insert(QueueEntity, { ...QUEUE_DEFAULTS, timeSlots: [], name, createdAt: now, updatedAt: now }));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
  }

  /** Creates or replaces the whole queue; `created` says which. */
  async put(name: string, fields: QueueFields): Promise<{ created: boolean; queue: QueueEntity }> {
    const put = () => this.database.transaction((manager) => this.upsert(manager, name, fields));
    try {
      return await put();
    } catch (error) {
      // Two first PUTs of one name raced and this one lost the insert: it is now a replace.
      if (!isUniqueViolation(error)) throw error;
      return await put();
    }
  }

  /** Keeps an existing row as it is: the demo file's queues never overwrite an operator's changes. */
  async insertIfMissing(name: string, fields: QueueFields): Promise<void> {
    const now = new Date();
    try {
      await this.database.write((manager) => manager.insert(QueueEntity, { ...fields, name, createdAt: now, updatedAt: now }));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }

  /** False when there was no such queue. */
  async delete(name: string): Promise<boolean> {
    const result = await this.database.write((manager) => manager.delete(QueueEntity, { name }));
    return Boolean(result.affected);
  }

  private async upsert(manager: EntityManager, name: string, fields: QueueFields): Promise<{ created: boolean; queue: QueueEntity }> {
    const now = new Date();
    const current = await manager.findOneBy(QueueEntity, { name });
    if (current) {
      await manager.update(QueueEntity, { name }, { ...fields, updatedAt: now });
      return { created: false, queue: { ...current, ...fields, updatedAt: now } };
    }
    const queue = { ...fields, name, createdAt: now, updatedAt: now };
    await manager.insert(QueueEntity, queue);
    return { created: true, queue };
  }
}
