import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, Headers, withRoles } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { expectProblem } from './setup/problem';
import { claim } from './setup/workers';

const TEMPLATE = { id: '1', name: 'w', revision: '1' };
const DEFAULTS = { description: null, priority: 5, parallelism: 0, status: 'ENABLED', timeSlots: [], timezone: 'UTC', running: 0, ready: 0 };

describe('the queues API', () => {
  let t: TestApp;
  let worker: Headers;
  const queues = (path = '') => t.path(`/job-manager/queues${path}`);
  const put = (name: string, body: object, headers: Headers = asAdmin()) => request(t.server).put(queues(`/${name}`)).set(headers).send(body);
  const get = (name: string, headers: Headers = asAdmin()) => request(t.server).get(queues(`/${name}`)).set(headers);
  const del = (name: string, headers: Headers = asAdmin()) => request(t.server).delete(queues(`/${name}`)).set(headers);
  const action = (contract: string, queue: string) =>
    putContract(t, contract, contractBody({ actions: [{ name: 'run', queue, workflowTemplate: TEMPLATE }] }));

  beforeAll(async () => {
    t = await createTestApp();
    worker = await withRoles('queue-worker', ['Workers']);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('CRUD', () => {
    it('creates with PUT (201) with the defaults, replaces (200) keeping createdAt, reads and deletes', async () => {
      const created = await put('crud-a', {}).expect(201);
      expect(created.body).toMatchObject({ name: 'crud-a', ...DEFAULTS });
      const body = { description: 'nightly', priority: 9, parallelism: 2, status: 'SCHEDULED', timeSlots: [{ from: '22:00', to: '02:00' }], timezone: 'Europe/Paris' };
      const replaced = await put('crud-a', body).expect(200);
      expect(replaced.body).toMatchObject({ name: 'crud-a', ...body, running: 0, ready: 0, createdAt: created.body.createdAt });
      expect((await get('crud-a').expect(200)).body).toEqual(replaced.body);
      // A replace is whole: absent fields return to the defaults.
      expect((await put('crud-a', { priority: 3 }).expect(200)).body).toMatchObject({ ...DEFAULTS, priority: 3 });
      const list = await request(t.server).get(queues()).set(asAdmin()).expect(200);
      expect(list.body.queues.map((queue: { name: string }) => queue.name)).toContain('crud-a');
      await del('crud-a').expect(204);
      expectProblem(await get('crud-a'), 404, 'NOT_FOUND');
      expectProblem(await del('crud-a'), 404, 'NOT_FOUND');
    });

    it('lists queues by name and spells the timezone as Intl does', async () => {
      await put('list-b', { timezone: 'america/new_york' }).expect(201);
      await put('list-a', {}).expect(201);
      const names: string[] = (await request(t.server).get(queues()).set(asAdmin()).expect(200)).body.queues.map((queue: { name: string }) => queue.name);
      expect(names).toEqual([...names].sort());
      expect((await get('list-b').expect(200)).body.timezone).toBe('America/New_York');
    });
  });

  describe('validation', () => {
    const fieldsOf = (response: request.Response) => response.body.errors.map((error: { field: string }) => error.field);

    it.each([
      ['priority 0', { priority: 0 }, 'priority'],
      ['priority 11', { priority: 11 }, 'priority'],
      ['priority 2.5', { priority: 2.5 }, 'priority'],
      ['parallelism -1', { parallelism: -1 }, 'parallelism'],
      ['parallelism 1.5', { parallelism: 1.5 }, 'parallelism'],
      ['an unknown status', { status: 'PAUSED' }, 'status'],
      ['an unknown timezone', { timezone: 'Mars/Olympus' }, 'timezone'],
      ['an offset for a timezone', { timezone: '+01:00' }, 'timezone'],
      ['a slot time of 24:00', { timeSlots: [{ from: '08:00', to: '24:00' }] }, 'timeSlots[0].to'],
      ['a slot time without minutes', { timeSlots: [{ from: '8', to: '09:00' }] }, 'timeSlots[0].from'],
      ['an empty slot', { timeSlots: [{ from: '08:00', to: '08:00' }] }, 'timeSlots[0].to'],
      ['25 slots', { timeSlots: Array.from({ length: 25 }, () => ({ from: '08:00', to: '09:00' })) }, 'timeSlots'],
      ['SCHEDULED without slots', { status: 'SCHEDULED' }, 'timeSlots'],
      ['SCHEDULED with no slot', { status: 'SCHEDULED', timeSlots: [] }, 'timeSlots'],
      ['an unknown field', { running: 3 }, 'running'],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const response = await put('invalid', body);
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toContain(field);
    });

    it('says why a timezone or an empty schedule is refused', async () => {
      const zone = await put('invalid', { timezone: 'Mars/Olympus' });
      expect(zone.body.errors).toContainEqual({ field: 'timezone', message: expect.stringMatching(/IANA time zone/) });
      const scheduled = await put('invalid', { status: 'SCHEDULED', timeSlots: [] });
      expect(scheduled.body.errors).toContainEqual({ field: 'timeSlots', message: expect.stringMatching(/never run/) });
      expectProblem(await get('invalid'), 404, 'NOT_FOUND');
    });

    it('refuses a name outside the pattern', async () => {
      const response = await put('bad%20name', {});
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['name']);
    });
  });

  describe('queues named by actions', () => {
    it('exist with the defaults without being declared, in the list and one by one', async () => {
      await action('auto-1', 'auto-listed');
      await action('auto-2', 'auto-got');
      const got = await get('auto-got').expect(200);
      expect(got.body).toMatchObject({ name: 'auto-got', ...DEFAULTS });
      const list = await request(t.server).get(queues()).set(asAdmin()).expect(200);
      expect(list.body.queues.find((queue: { name: string }) => queue.name === 'auto-listed')).toMatchObject(DEFAULTS);
      // Declaring one afterwards is a replace of the row the read created.
      await put('auto-got', { priority: 8 }).expect(200);
    });

    it('are created once when several instances read them at the same moment', async () => {
      const second = await createTestApp({ database: t.database });
      try {
        await action('raced', 'raced-q');
        const reads = [t, second, t, second].flatMap((app) => [
          request(app.server).get(app.path('/job-manager/queues')).set(asAdmin()),
          request(app.server).get(app.path('/job-manager/queues/raced-q')).set(asAdmin()),
        ]);
        expect((await Promise.all(reads)).map((response) => response.status)).toEqual(Array(8).fill(200));
        const [{ count }] = await t.dataSource.query("SELECT COUNT(*) AS count FROM queues WHERE name = 'raced-q'");
        expect(Number(count)).toBe(1);
      } finally {
        await second.close();
      }
    });

    it('cannot be deleted while an action names them (409 naming the action), and can once none does', async () => {
      await action('named-1', 'named-q');
      await put('named-q', { parallelism: 1 }).expect(200);
      const refused = await del('named-q');
      expectProblem(refused, 409, 'CONFLICT');
      expect(refused.body.detail).toMatch(/named-1\/run/);
      await request(t.server).delete(t.path('/contracts/named-1')).set(asAdmin()).expect(204);
      await del('named-q').expect(204);
    });
  });

  describe('live counts', () => {
    it('counts RUNNING and due SUBMITTED jobs, and refuses to delete a queue holding unfinished jobs', async () => {
      await action('counted', 'counted-q');
      const add = async (extra: Record<string, unknown> = {}) =>
        (await submit(t, asAdmin(), { contractName: 'counted', actionName: 'run', ...extra }).expect(201)).body;
      await add();
      await add();
      await add({ notBefore: new Date(Date.now() + 3600_000).toISOString() });
      expect((await get('counted-q').expect(200)).body).toMatchObject({ running: 0, ready: 2 });
      expect(await claim(t, worker, { queues: ['counted-q'], maxJobs: 1 })).toHaveLength(1);
      expect((await get('counted-q').expect(200)).body).toMatchObject({ running: 1, ready: 1 });
      const list = await request(t.server).get(queues()).set(asAdmin()).expect(200);
      expect(list.body.queues.find((queue: { name: string }) => queue.name === 'counted-q')).toMatchObject({ running: 1, ready: 1 });
      await request(t.server).delete(t.path('/contracts/counted')).set(asAdmin()).expect(204);
      const refused = await del('counted-q');
      expectProblem(refused, 409, 'CONFLICT');
      expect(refused.body.detail).toMatch(/3 unfinished/);
    });
  });

  describe('queues holding jobs', () => {
    it('exist while they hold unfinished jobs, even when no action names them any more', async () => {
      await action('moved', 'left-behind');
      await submit(t, asAdmin(), { contractName: 'moved', actionName: 'run' }).expect(201);
      await action('moved', 'moved-to');
      const list = await request(t.server).get(queues()).set(asAdmin()).expect(200);
      expect(list.body.queues.find((queue: { name: string }) => queue.name === 'left-behind')).toMatchObject({ ...DEFAULTS, ready: 1 });
      const refused = await del('left-behind');
      expectProblem(refused, 409, 'CONFLICT');
      expect(refused.body.detail).toMatch(/1 unfinished/);
      expect(refused.body.detail).not.toMatch(/actions still name it/);
    });
  });

  describe('permissions', () => {
    it('lets SPENGCEMANJOBS read and only QUEUES write', async () => {
      await put('perm-q', {}).expect(201);
      const user = await withRoles('ursula', ['Users']);
      await request(t.server).get(queues()).set(user).expect(200);
      await get('perm-q', user).expect(200);
      expectProblem(await put('perm-q', {}, user), 403, 'FORBIDDEN');
      expectProblem(await del('perm-q', user), 403, 'FORBIDDEN');
      const workerOnly = await withRoles('walter', ['Workers']);
      expectProblem(await request(t.server).get(queues()).set(workerOnly), 403, 'FORBIDDEN');
      expectProblem(await get('perm-q', workerOnly), 403, 'FORBIDDEN');
      expectProblem(await request(t.server).get(queues()), 401, 'UNAUTHENTICATED');
    });
  });
});

describe('queues in the contracts file', () => {
  const write = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'queues-file-')), 'contracts.yaml');
    writeFileSync(path, text);
    return path;
  };
  const FILE = `contracts:
  - name: filed
    type: INPUT
    actor: ACME
    actions:
      - { name: run, queue: filed-q, workflowTemplate: { id: "1", name: w, revision: "1" } }
queues:
  - { name: filed-q, priority: 9, parallelism: 1 }
  - { name: night, status: SCHEDULED, timeSlots: [{ from: "22:00", to: "06:00" }], timezone: Europe/Paris }
`;

  it('applies the declared queues at start-up, over what an operator changed, on every instance', async () => {
    const path = write(FILE);
    const t = await createTestApp({ env: { CONTRACTS_FILE: path } });
    try {
      const filed = await request(t.server).get(t.path('/job-manager/queues/filed-q')).set(asAdmin()).expect(200);
      expect(filed.body).toMatchObject({ priority: 9, parallelism: 1, status: 'ENABLED' });
      const night = await request(t.server).get(t.path('/job-manager/queues/night')).set(asAdmin()).expect(200);
      expect(night.body).toMatchObject({ status: 'SCHEDULED', timeSlots: [{ from: '22:00', to: '06:00' }], timezone: 'Europe/Paris' });
      await request(t.server).put(t.path('/job-manager/queues/filed-q')).set(asAdmin()).send({ priority: 1 }).expect(200);
      const second = await createTestApp({ database: t.database, env: { CONTRACTS_FILE: path } });
      await second.close();
      expect((await request(t.server).get(t.path('/job-manager/queues/filed-q')).set(asAdmin()).expect(200)).body.priority).toBe(9);
    } finally {
      await t.close();
    }
  });

  it('gives the demo catalogue its imports queue, and every queue its actions name', async () => {
    const t = await createTestApp({ env: { CONTRACTS_FILE: 'example' } });
    try {
      const list = await request(t.server).get(t.path('/job-manager/queues')).set(asAdmin()).expect(200);
      const byName = Object.fromEntries(list.body.queues.map((queue: { name: string }) => [queue.name, queue]));
      expect(byName.imports).toMatchObject({ parallelism: 2, priority: 6 });
      expect(byName.default).toMatchObject(DEFAULTS);
      // The demo never overwrites an operator's change at the next start.
      await request(t.server).put(t.path('/job-manager/queues/imports')).set(asAdmin()).send({ parallelism: 5 }).expect(200);
      await (await createTestApp({ database: t.database, env: { CONTRACTS_FILE: 'example' } })).close();
      expect((await request(t.server).get(t.path('/job-manager/queues/imports')).set(asAdmin()).expect(200)).body.parallelism).toBe(5);
    } finally {
      await t.close();
    }
  });

  it('refuses to start on an invalid queue, naming it and the field', async () => {
    const path = write(`contracts: []\nqueues:\n  - { name: bad, timezone: Nowhere/Land }\n`);
    await expect(createTestApp({ env: { CONTRACTS_FILE: path } })).rejects.toThrowError(/queues\[0\]\.timezone/);
  });
});
