import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { isDatabaseUnavailable, isRetryableConflict } from '../database/database-errors';
import { Database } from '../database/database.service';
import { BatchedInsert, BatchOutcome, JobInsertsRepository } from './job-inserts.repository';

interface Waiting {
  item: BatchedInsert;
  resolve: (outcome: BatchOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: a submission goes to the database at once when a batch slot is free, otherwise it
 * waits for one and leaves with every submission that arrived meanwhile (docs/benchmarks.md, "Group commit").
 */
@Injectable()
export class SubmissionBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private readonly slots: number;

  constructor(
    private readonly inserts: JobInsertsRepository,
    private readonly config: AppConfig,
    database: Database,
  ) {
    // SQLite runs one write at a time: a second slot would only queue behind the first.
    this.slots = database.isMysql ? config.submitBatches.slots : 1;
  }

  insert(item: BatchedInsert): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.slots && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.config.submitBatches.maxRows);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.inserts.insertBatch(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => entry.resolve(outcomes[index]));
    } catch (error) {
      // A deadlock that outlived the batch's retries is a conflict of many rows' locks, not an outage: the rows alone take fewer.
      if (batch.length === 1 || (isDatabaseUnavailable(error) && !isRetryableConflict(error))) {
        for (const entry of batch) entry.reject(error);
        return;
      }
      // One by one: a row the database refuses fails its own request, never its neighbours'.
      for (const entry of batch) {
        try {
          const [outcome] = await this.inserts.insertBatch([entry.item]);
          entry.resolve(outcome);
        } catch (alone) {
          entry.reject(alone);
        }
      }
    }
  }
}
