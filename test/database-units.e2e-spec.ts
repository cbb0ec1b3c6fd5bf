import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../src/database/database.service';
import { createTestApp, TestApp } from './setup/create-test-app';

describe('units of work', () => {
  let t: TestApp;
  let database: Database;

  beforeAll(async () => {
    t = await createTestApp();
    database = t.app.get(Database);
  });

  afterAll(async () => {
    await t.close();
  });

  const names = async () =>
    ((await t.dataSource.query("SELECT name FROM gateway_settings WHERE name LIKE 'unit-%' ORDER BY name")) as { name: string }[]).map(
      (row) => row.name,
    );

  it('keeps a write sent during another request\'s transaction out of it when that transaction rolls back', async () => {
    let concurrent: Promise<unknown> | undefined;
    const rolledBack = database
      .transaction(async (manager) => {
        await manager.query("INSERT INTO gateway_settings (name, value) VALUES ('unit-rolled-back', 'x')");
        // Another request writes while this transaction is open and waiting on something.
        concurrent = database.write((other) =>
          other.query("INSERT INTO gateway_settings (name, value) VALUES ('unit-kept', 'y')"),
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('roll back');
      })
      .catch((error: Error) => error.message);
    expect(await rolledBack).toBe('roll back');
    await concurrent;
    expect(await names()).toEqual(['unit-kept']);
  });

  it('runs many concurrent transactions without interference, each all-or-nothing', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        database
          .transaction(async (manager) => {
            await manager.query('INSERT INTO gateway_settings (name, value) VALUES (?, ?)', [`unit-tx-${index}-a`, 'a']);
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
            await manager.query('INSERT INTO gateway_settings (name, value) VALUES (?, ?)', [`unit-tx-${index}-b`, 'b']);
            if (index % 2 === 1) throw new Error('odd ones roll back');
          })
          .catch(() => undefined),
      ),
    );
    const written = (await names()).filter((name) => name.startsWith('unit-tx-'));
    expect(written).toHaveLength(20);
    expect(written.every((name) => Number(name.split('-')[2]) % 2 === 0)).toBe(true);
  });
});
