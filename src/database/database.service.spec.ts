import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-errors';
import { Database } from './database.service';

/** A MySQL-family data source whose every query answers `rows`, recording the statements. */
function database(rows: unknown[], galera: boolean): { database: Database; statements: string[] } {
  const statements: string[] = [];
  const dataSource = {
    options: { type: 'mysql' },
    query: (sql: string) => {
      statements.push(sql);
      return Promise.resolve(rows);
    },
  } as unknown as DataSource;
  const subject = new Database(dataSource);
  subject.isGalera = galera;
  return { database: subject, statements };
}

describe('Database.ping', () => {
  it('asks a single server for SELECT 1', async () => {
    const { database: subject, statements } = database([{ 1: 1 }], false);
    await subject.ping();
    expect(statements).toEqual(['SELECT 1']);
  });

  it('fails, as unavailable, on a Galera node outside the primary component (which still answers SELECT 1)', async () => {
    const { database: subject } = database([{ Variable_name: 'wsrep_ready', Value: 'OFF' }], true);
    const failure = await subject.ping().catch((error: unknown) => error);
    expect(isDatabaseUnavailable(failure)).toBe(true);
    expect(String(failure)).toMatch(/wsrep_ready=OFF/);
  });

  it('passes on a Galera node that takes statements', async () => {
    const { database: subject, statements } = database([{ Variable_name: 'wsrep_ready', Value: 'ON' }], true);
    await subject.ping();
    expect(statements).toEqual(["SHOW GLOBAL STATUS LIKE 'wsrep_ready'"]);
  });
});
