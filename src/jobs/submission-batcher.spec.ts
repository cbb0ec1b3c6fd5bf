import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/app-config';
import type { Database } from '../database/database.service';
import type { BatchedInsert, BatchOutcome, JobInsertsRepository } from './job-inserts.repository';
import { SubmissionBatcher } from './submission-batcher';

/** A driver error as mysql2 raises it. */
const driverError = (code: string, errno: number) => Object.assign(new Error(code), { code, errno });
const DEADLOCK = () => driverError('ER_LOCK_DEADLOCK', 1213);
const CONNECTION_LOST = () => driverError('PROTOCOL_CONNECTION_LOST', 2013);
const DUPLICATE = () => driverError('ER_DUP_ENTRY', 1062);

const item = (dfiid: string): BatchedInsert => ({ job: { dfiid } as BatchedInsert['job'], events: () => [] });

/** Inserts that hold each call until released, recording the batches they were given. */
class FakeInserts {
  readonly batches: string[][] = [];
  private releases: (() => void)[] = [];
  constructor(private readonly answer: (dfiids: string[]) => BatchOutcome[] | Error) {}

  insertBatch(items: readonly BatchedInsert[]): Promise<BatchOutcome[]> {
    const dfiids = items.map((entry) => entry.job.dfiid);
    this.batches.push(dfiids);
    return new Promise((resolve, reject) => {
      this.releases.push(() => {
        const answer = this.answer(dfiids);
        if (answer instanceof Error) reject(answer);
        else resolve(answer);
      });
    });
  }

  /** Lets every call made so far answer, and waits for the batcher to react. */
  async releaseAll(): Promise<void> {
    const releases = this.releases;
    this.releases = [];
    releases.forEach((release) => release());
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function batcher(inserts: FakeInserts, slots = 1, maxRows = 100): SubmissionBatcher {
  const config = { submitBatches: { slots, maxRows } } as AppConfig;
  return new SubmissionBatcher(inserts as unknown as JobInsertsRepository, config, { isMysql: true } as Database);
}

const created = (dfiids: string[]): BatchOutcome[] => dfiids.map((dfiid) => ({ created: true, id: dfiid }));

/** Releases the fake's calls until every promise has settled. */
async function settle<T>(inserts: FakeInserts, promises: Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
  const all = Promise.allSettled(promises);
  let done = false;
  void all.then(() => (done = true));
  for (let round = 0; round < 50 && !done; round++) await inserts.releaseAll();
  return all;
}

describe('SubmissionBatcher', () => {
  it('sends a lone submission at once, and those arriving meanwhile together when its slot frees', async () => {
    const inserts = new FakeInserts(created);
    const subject = batcher(inserts);
    const results = ['a', 'b', 'c', 'd'].map((dfiid) => subject.insert(item(dfiid)));
    const settled = await settle(inserts, results);
    expect(inserts.batches).toEqual([['a'], ['b', 'c', 'd']]);
    expect(settled.map((result) => result.status === 'fulfilled' && result.value)).toEqual(created(['a', 'b', 'c', 'd']));
  });

  it('caps a batch at its row bound', async () => {
    const inserts = new FakeInserts(created);
    const subject = batcher(inserts, 1, 2);
    await settle(inserts, ['a', 'b', 'c', 'd', 'e'].map((dfiid) => subject.insert(item(dfiid))));
    expect(inserts.batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('retries the rows of a refused batch one by one, so only the refused row fails', async () => {
    const inserts = new FakeInserts((dfiids) => (dfiids.includes('bad') ? DUPLICATE() : created(dfiids)));
    const subject = batcher(inserts);
    const settled = await settle(inserts, ['a', 'b', 'bad', 'c'].map((dfiid) => subject.insert(item(dfiid))));
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(inserts.batches).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });

  it('retries the rows one by one when the batch kept deadlocking, instead of answering 503 for all', async () => {
    const inserts = new FakeInserts((dfiids) => (dfiids.length > 1 ? DEADLOCK() : created(dfiids)));
    const subject = batcher(inserts);
    const settled = await settle(inserts, ['a', 'b', 'c'].map((dfiid) => subject.insert(item(dfiid))));
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(inserts.batches).toEqual([['a'], ['b', 'c'], ['b'], ['c']]);
  });

  it('fails the whole batch at once when the database is gone, without a round trip per row', async () => {
    const inserts = new FakeInserts((dfiids) => (dfiids.length > 1 ? CONNECTION_LOST() : created(dfiids)));
    const subject = batcher(inserts);
    const settled = await settle(inserts, ['a', 'b', 'c'].map((dfiid) => subject.insert(item(dfiid))));
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(inserts.batches).toEqual([['a'], ['b', 'c']]);
  });
});
