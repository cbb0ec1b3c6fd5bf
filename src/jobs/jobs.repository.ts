import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm';
import { Database } from '../database/database.service';
import { isUniqueViolation } from '../database/database-errors';
import { JobEntity } from './job.entity';

export type InsertOutcome = { created: true; id: string } | { created: false };

@Injectable()
export class JobsRepository {
  constructor(private readonly database: Database) {}

  /**
   * The idempotent insert: one INSERT, relying on the UNIQUE index on ipid. A duplicate is
   * recognised by the driver's error code (never by reading first), so racing submissions across
   * any number of processes create exactly one row.
   */
  async insertUnlessDuplicate(job: Omit<JobEntity, 'id'>): Promise<InsertOutcome> {
    try {
      const result = await this.database.write((manager) => manager.insert(JobEntity, job as QueryDeepPartialEntity<JobEntity>));
      return { created: true, id: String(result.identifiers[0].id) };
    } catch (error) {
      if (job.ipid !== null && isUniqueViolation(error)) return { created: false };
      throw error;
    }
  }

  /**
   * A fresh statement outside any transaction, so it sees the winner's committed row (a read in
   * the losing transaction's snapshot could see nothing under REPEATABLE READ).
   */
  findByIpid(ipid: string): Promise<JobEntity | null> {
    return this.database.dataSource.manager.findOneBy(JobEntity, { ipid });
  }

  findById(id: string): Promise<JobEntity | null> {
    return this.database.dataSource.manager.findOneBy(JobEntity, { id });
  }
}
