import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import type { TestApp } from './setup/create-test-app';
import { Instances, startInstances } from './setup/instances';
import { hasMysql } from './setup/test-database';

interface Answer {
  status: number;
  id?: string;
}

/**
 * Two gateway instances on one database, as two processes behind a load balancer would be, and
 * plain concurrent HTTP requests against both.
 */
describe(`racing identical submissions across two instances (${hasMysql ? 'MariaDB' : 'SQLite'})`, () => {
  let instances: Instances;
  let apps: TestApp[];
  let urls: string[];
  let authorization: string;

  beforeAll(async () => {
    instances = await startInstances(2);
    ({ apps, urls } = instances);
    await putContract(apps[0], 'race', contractBody({ actions: [{ name: 'go', workflowTemplate: { id: '1', name: 'w', revision: '1' } }] }));
    authorization = (await bearer({ sub: 'racer', roles: ['Administrators'] }, { expiresIn: '10m' })).Authorization;
  });

  afterAll(async () => {
    await instances.close();
  });

  async function fire(extIPID: string, index: number): Promise<Answer> {
    const response = await fetch(`${urls[index % urls.length]}/job-manager/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ contractName: 'race', actionName: 'go', extIPID }),
    });
    const body = (await response.json()) as { id?: string };
    return { status: response.status, id: body.id };
  }

  async function jobsWith(extIPID: string): Promise<string[]> {
    const rows = (await apps[0].dataSource.query('SELECT id FROM jobs WHERE ext_ipid = ?', [extIPID])) as { id: unknown }[];
    return rows.map((row) => String(row.id));
  }

  it('200 identical submissions at once: one job, one 201, every other answer 409 with its id', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, index) => fire('hot-key', index)));
    const ids = await jobsWith('hot-key');
    expect(ids).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(199);
    expect(new Set(answers.map((answer) => answer.id))).toEqual(new Set(ids));
  });

  it('50 keys × 10 duplicates, interleaved: one job per key, every answer carrying it', async () => {
    const keys = Array.from({ length: 50 }, (_, index) => `key-${index}`);
    const shots = keys.flatMap((key) => Array.from({ length: 10 }, () => key)).sort(() => Math.random() - 0.5);
    const answers = await Promise.all(shots.map((key, index) => fire(key, index).then((answer) => ({ key, ...answer }))));
    for (const key of keys) {
      const ids = await jobsWith(key);
      expect(ids, key).toHaveLength(1);
      const forKey = answers.filter((answer) => answer.key === key);
      expect(forKey.filter((answer) => answer.status === 201), key).toHaveLength(1);
      expect(forKey.every((answer) => [201, 409].includes(answer.status) && answer.id === ids[0]), key).toBe(true);
    }
  });

  // Many small overlapping batches (group commit) whose keys lock in other orders: the case that once answered 409 CONFLICT.
  it('500 keys × 3, 48 at a time over both instances: every answer 201 or 409 with the key\'s one job', async () => {
    const shots = Array.from({ length: 1500 }, (_, index) => `wave-${Math.floor(index / 3)}`);
    const answers: (Answer & { key: string })[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 48 }, async () => {
        while (next < shots.length) {
          const index = next++;
          answers.push({ key: shots[index], ...(await fire(shots[index], index)) });
        }
      }),
    );
    expect(answers.filter((answer) => ![201, 409].includes(answer.status) || answer.id === undefined)).toEqual([]);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(500);
    const rows = (await apps[0].dataSource.query("SELECT COUNT(*) AS n, COUNT(DISTINCT ext_ipid) AS k FROM jobs WHERE ext_ipid LIKE 'wave-%'")) as { n: unknown; k: unknown }[];
    expect([Number(rows[0].n), Number(rows[0].k)]).toEqual([500, 500]);
  });
});
