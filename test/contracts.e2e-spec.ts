import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readContractsFile } from '../src/catalogue/contracts-file.loader';
import { asAdmin, withRoles } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { expectProblem } from './setup/problem';

describe('contracts and actions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('CRUD', () => {
    it('creates a contract with PUT (201), then replaces it (200), idempotently', async () => {
      const first = await request(t.server).put(t.path('/contracts/crud-1')).set(asAdmin()).send(contractBody()).expect(201);
      expect(first.body).toMatchObject({
        name: 'crud-1',
        type: 'INPUT',
        actor: 'ACME',
        enabled: true,
        actions: [
          {
            name: 'import',
            trigger: 'ON_DEMAND',
            queue: 'imports',
            workflowTemplate: { id: '7', name: 'import-orders', revision: '3', description: 'imports orders' },
            allowedRoles: [],
            maxAttempts: 3,
            timeoutSeconds: null,
            priority: 0,
            enabled: true,
          },
        ],
      });
      const again = await request(t.server).put(t.path('/contracts/crud-1')).set(asAdmin()).send(contractBody()).expect(200);
      expect({ ...again.body, updatedAt: undefined, actions: undefined }).toEqual({
        ...first.body,
        updatedAt: undefined,
        actions: undefined,
      });
      const [{ count }] = await t.dataSource.query("SELECT COUNT(*) AS count FROM contracts WHERE name = 'crud-1'");
      expect(Number(count)).toBe(1);
    });

    it('replaces the action set when the body lists actions, and keeps it when it does not', async () => {
      await putContract(t, 'crud-2', contractBody());
      const withoutActions = { type: 'OUTPUT', actor: 'GLOBEX' };
      const kept = await request(t.server).put(t.path('/contracts/crud-2')).set(asAdmin()).send(withoutActions).expect(200);
      expect(kept.body.type).toBe('OUTPUT');
      expect(kept.body.actions.map((action: { name: string }) => action.name)).toEqual(['import']);
      const replaced = await putContract(
        t,
        'crud-2',
        contractBody({ actions: [{ name: 'export', workflowTemplate: { id: 1, name: 'x', revision: 2 } }] }),
      );
      expect(replaced.actions.map((action: { name: string }) => action.name)).toEqual(['export']);
      expect(replaced.actions[0].workflowTemplate).toEqual({ id: '1', name: 'x', revision: '2', description: '' });
    });

    it('reads a contract, its actions and one action; 404 with a code for unknown ones', async () => {
      await putContract(t, 'crud-3');
      await request(t.server).get(t.path('/contracts/crud-3')).set(asAdmin()).expect(200);
      const actions = await request(t.server).get(t.path('/contracts/crud-3/actions')).set(asAdmin()).expect(200);
      expect(actions.body).toHaveLength(1);
      await request(t.server).get(t.path('/contracts/crud-3/actions/import')).set(asAdmin()).expect(200);
      expectProblem(await request(t.server).get(t.path('/contracts/nope')).set(asAdmin()), 404, 'CONTRACT_NOT_FOUND');
      expectProblem(await request(t.server).get(t.path('/contracts/crud-3/actions/nope')).set(asAdmin()), 404, 'ACTION_NOT_FOUND');
      expectProblem(await request(t.server).get(t.path('/contracts/nope/actions')).set(asAdmin()), 404, 'CONTRACT_NOT_FOUND');
    });

    it('creates, replaces and deletes a single action', async () => {
      await putContract(t, 'crud-4');
      const action = { queue: 'q2', workflowTemplate: { id: '9', name: 'w', revision: '1' }, priority: 5, maxAttempts: 7 };
      const created = await request(t.server).put(t.path('/contracts/crud-4/actions/extra')).set(asAdmin()).send(action).expect(201);
      expect(created.body).toMatchObject({ name: 'extra', queue: 'q2', priority: 5, maxAttempts: 7 });
      await request(t.server).put(t.path('/contracts/crud-4/actions/extra')).set(asAdmin()).send({ ...action, priority: 6 }).expect(200);
      await request(t.server).delete(t.path('/contracts/crud-4/actions/extra')).set(asAdmin()).expect(204);
      expectProblem(await request(t.server).delete(t.path('/contracts/crud-4/actions/extra')).set(asAdmin()), 404, 'ACTION_NOT_FOUND');
    });

    it('deletes a contract together with its actions', async () => {
      await putContract(t, 'crud-5');
      await request(t.server).delete(t.path('/contracts/crud-5')).set(asAdmin()).expect(204);
      expectProblem(await request(t.server).get(t.path('/contracts/crud-5')).set(asAdmin()), 404, 'CONTRACT_NOT_FOUND');
      const orphans = await t.dataSource.query(
        'SELECT COUNT(*) AS count FROM actions WHERE contract_id NOT IN (SELECT id FROM contracts)',
      );
      expect(Number(orphans[0].count)).toBe(0);
      expectProblem(await request(t.server).delete(t.path('/contracts/crud-5')).set(asAdmin()), 404, 'CONTRACT_NOT_FOUND');
    });

    it('takes back a contract as GET answered it, minus timestamps, with null description and timeoutSeconds', async () => {
      await putContract(t, 'round-trip', contractBody({ description: null }));
      const read = await request(t.server).get(t.path('/contracts/round-trip')).set(asAdmin()).expect(200);
      expect(read.body).toMatchObject({ description: null, actions: [{ timeoutSeconds: null }] });
      const without = (value: Record<string, unknown>, ...keys: string[]) =>
        Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
      const body = {
        ...without(read.body, 'name', 'createdAt', 'updatedAt'),
        actions: read.body.actions.map((action: Record<string, unknown>) => without(action, 'createdAt', 'updatedAt')),
      };
      const replaced = await request(t.server).put(t.path('/contracts/round-trip')).set(asAdmin()).send(body).expect(200);
      expect({ ...replaced.body, updatedAt: undefined }).toEqual({ ...read.body, updatedAt: undefined, actions: expect.any(Array) });
      expect(replaced.body.actions[0].variables).toEqual(read.body.actions[0].variables);
    });

    it('answers racing first PUTs of one action from two instances with one 201 and 200s, never a 500', async () => {
      await putContract(t, 'race-actions', contractBody({ actions: [] }));
      const second = await createTestApp({ database: t.database });
      try {
        const action = { queue: 'imports', workflowTemplate: { id: '7', name: 'w', revision: '1' } };
        for (let round = 0; round < 10; round++) {
          const statuses = await Promise.all(
            [t, second, t, second].map(async (app) =>
              (await request(app.server).put(app.path(`/contracts/race-actions/actions/a${round}`)).set(asAdmin()).send(action)).status,
            ),
          );
          expect(statuses.sort()).toEqual([200, 200, 200, 201]);
        }
      } finally {
        await second.close();
      }
    });

    it('names are exact: a different case is another contract', async () => {
      await putContract(t, 'Case-Test');
      expectProblem(await request(t.server).get(t.path('/contracts/case-test')).set(asAdmin()), 404, 'CONTRACT_NOT_FOUND');
    });
  });

  describe('listing', () => {
    beforeAll(async () => {
      for (const [name, type, actor, enabled] of [
        ['list-a', 'INPUT', 'ACME', true],
        ['list-b', 'OUTPUT', 'ACME', true],
        ['list-c', 'INPUT', 'GLOBEX', false],
        ['list-d', 'MEDIATION', 'GLOBEX', true],
        ['list-e', 'INPUT', 'ACME', true],
      ] as const) {
        await putContract(t, name, contractBody({ type, actor: `L-${actor}`, enabled }));
      }
    });

    const names = (body: { contracts: { name: string }[] }) => body.contracts.map((contract) => contract.name);

    it('filters by type, actor and enabled, combined', async () => {
      const response = await request(t.server)
        .get(t.path('/contracts'))
        .query({ type: 'INPUT', actor: 'L-ACME', enabled: 'true' })
        .set(asAdmin())
        .expect(200);
      expect(names(response.body)).toEqual(['list-a', 'list-e']);
      const disabled = await request(t.server).get(t.path('/contracts')).query({ enabled: 'false', actor: 'L-GLOBEX' }).set(asAdmin());
      expect(names(disabled.body)).toEqual(['list-c']);
    });

    it('pages with next until it disappears, each contract once', async () => {
      const seen: string[] = [];
      let next: string | undefined = `${t.path('/contracts')}?maxItems=2&actor=L-ACME`;
      let response;
      let pages = 0;
      while (next) {
        response = await request(t.server).get(next).set(asAdmin()).expect(200);
        expect(response.body.contracts.length).toBeLessThanOrEqual(2);
        seen.push(...names(response.body));
        next = response.body.next;
        if (next) {
          const link = new URL(next, 'http://x');
          expect(link.pathname).toBe('/ghibli-rest/v2/contracts');
          expect(Object.fromEntries(link.searchParams)).toMatchObject({ maxItems: '2', actor: 'L-ACME' });
        }
        pages++;
      }
      expect(seen).toEqual(['list-a', 'list-b', 'list-e']);
      expect(pages).toBe(2);
    });

    it('refuses bad parameters and a tampered cursor', async () => {
      expectProblem(await request(t.server).get(t.path('/contracts')).query({ maxItems: '0' }).set(asAdmin()), 400, 'VALIDATION_FAILED');
      expectProblem(await request(t.server).get(t.path('/contracts')).query({ maxItems: '1001' }).set(asAdmin()), 400, 'VALIDATION_FAILED');
      expectProblem(await request(t.server).get(t.path('/contracts')).query({ type: 'OTHER' }).set(asAdmin()), 400, 'VALIDATION_FAILED');
      expectProblem(await request(t.server).get(t.path('/contracts')).query({ enabled: 'yes' }).set(asAdmin()), 400, 'VALIDATION_FAILED');
      const first = await request(t.server).get(t.path('/contracts')).query({ maxItems: '1' }).set(asAdmin());
      const tampered = first.body.next.replace(/cursor=([^&.]+)/, 'cursor=eyJhZnRlciI6InoifQ');
      expectProblem(await request(t.server).get(tampered).set(asAdmin()), 400, 'INVALID_CURSOR');
    });
  });

  describe('validation', () => {
    const put = (name: string, body: unknown) => request(t.server).put(t.path(`/contracts/${name}`)).set(asAdmin()).send(body as object);
    const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field);

    it.each([
      ['a bad name in the path', 'bad name!', contractBody(), ['contract']],
      ['an unknown type', 'v-1', contractBody({ type: 'SIDEWAYS' }), ['type']],
      ['a missing actor', 'v-2', { type: 'INPUT' }, ['actor']],
      ['an unknown property', 'v-3', contractBody({ owner: 'me' }), ['owner']],
      [
        'an action without a workflow template',
        'v-4',
        contractBody({ actions: [{ name: 'a' }] }),
        ['actions[0].workflowTemplate'],
      ],
      [
        'a non-numeric template id',
        'v-5',
        contractBody({ actions: [{ name: 'a', workflowTemplate: { id: 'seven', name: 'x', revision: '1' } }] }),
        ['actions[0].workflowTemplate.id'],
      ],
      [
        'maxAttempts out of range',
        'v-6',
        contractBody({ actions: [{ name: 'a', maxAttempts: 0, workflowTemplate: { id: '1', name: 'x', revision: '1' } }] }),
        ['actions[0].maxAttempts'],
      ],
      [
        'a default that does not satisfy its own type',
        'v-7',
        contractBody({
          actions: [
            {
              name: 'a',
              workflowTemplate: { id: '1', name: 'x', revision: '1' },
              variables: [{ name: 'n', type: 'integer', default: 'ten' }],
            },
          ],
        }),
        ['actions[0].variables[0].default'],
      ],
      [
        'an unknown variable type',
        'v-8',
        contractBody({
          actions: [{ name: 'a', workflowTemplate: { id: '1', name: 'x', revision: '1' }, variables: [{ name: 'n', type: 'date' }] }],
        }),
        ['actions[0].variables[0].type'],
      ],
      [
        'two actions with one name',
        'v-9',
        contractBody({
          actions: [
            { name: 'a', workflowTemplate: { id: '1', name: 'x', revision: '1' } },
            { name: 'a', workflowTemplate: { id: '1', name: 'x', revision: '1' } },
          ],
        }),
        ['actions'],
      ],
    ])('refuses %s with 400 naming the field', async (_label, name, body, expected) => {
      const response = await put(name, body);
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(fields(response.body)).toEqual(expect.arrayContaining(expected));
      expectProblem(await request(t.server).get(t.path(`/contracts/${encodeURIComponent(name)}`)).set(asAdmin()), 404, 'CONTRACT_NOT_FOUND');
    });
  });

  describe('permissions', () => {
    it('lets any authenticated caller read, and only CONTRACTS roles write', async () => {
      await putContract(t, 'perm-1');
      const user = await withRoles('reader', ['Users']);
      await request(t.server).get(t.path('/contracts/perm-1')).set(user).expect(200);
      await request(t.server).get(t.path('/contracts')).set(await withRoles('nobody', [])).expect(200);
      expectProblem(await request(t.server).put(t.path('/contracts/perm-1')).set(user).send(contractBody()), 403, 'FORBIDDEN');
      expectProblem(await request(t.server).delete(t.path('/contracts/perm-1')).set(user), 403, 'FORBIDDEN');
      expectProblem(
        await request(t.server).put(t.path('/contracts/perm-1/actions/import')).set(user).send({}),
        403,
        'FORBIDDEN',
      );
      expectProblem(await request(t.server).get(t.path('/contracts/perm-1')), 401, 'UNAUTHENTICATED');
    });
  });
});

describe('the contracts file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'contracts-file-'));
  const write = (name: string, content: string) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  };

  it('loads the shipped example into an empty catalogue by default', async () => {
    const t = await createTestApp({ env: { CONTRACTS_FILE: 'example' } });
    try {
      const response = await request(t.server).get(t.path('/contracts')).set(asAdmin()).expect(200);
      expect(response.body.contracts.map((contract: { name: string }) => contract.name)).toEqual([
        'acme-orders',
        'globex-invoices',
        'legacy-ftp-bridge',
      ]);
      expect(response.body.contracts[2].enabled).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('applies a JSON file as an upsert at every start, and leaves other contracts alone', async () => {
    const path = write('contracts.json', JSON.stringify({ contracts: [{ name: 'from-file', ...contractBody() }] }));
    const t = await createTestApp({ env: { CONTRACTS_FILE: path } });
    try {
      await putContract(t, 'from-api');
      await request(t.server).put(t.path('/contracts/from-file')).set(asAdmin()).send(contractBody({ actor: 'CHANGED' })).expect(200);
      const second = await createTestApp({ database: t.database, env: { CONTRACTS_FILE: path } });
      try {
        const fromFile = await request(second.server).get(second.path('/contracts/from-file')).set(asAdmin()).expect(200);
        expect(fromFile.body.actor).toBe('ACME');
        await request(second.server).get(second.path('/contracts/from-api')).set(asAdmin()).expect(200);
      } finally {
        await second.close();
      }
    } finally {
      await t.close();
    }
  });

  it.each([
    ['not YAML', 'contracts: [unclosed', /cannot be read as YAML or JSON/],
    ['a wrong top level', 'items: []', /the top level must be \{ "contracts": \[ \.\.\. \] \}/],
    ['a bad type', 'contracts:\n  - { name: x, type: NOPE, actor: A }', /contracts\[0\]\.type: type must be one of/],
    [
      'a bad variable default',
      'contracts:\n  - name: x\n    type: INPUT\n    actor: A\n    actions:\n      - name: a\n        workflowTemplate: { id: "1", name: w, revision: "1" }\n        variables: [{ name: n, type: integer, default: x }]',
      /contracts\[0\]\.actions\[0\]\.variables\[0\]\.default/,
    ],
    ['a duplicate name', 'contracts:\n  - { name: x, type: INPUT, actor: A }\n  - { name: x, type: INPUT, actor: A }', /"x" is listed twice/],
  ])('refuses %s, naming the path and the problem', (_label, content, problem) => {
    const path = write(`bad-${Math.random().toString(36).slice(2)}.yaml`, content);
    expect(() => readContractsFile(path)).toThrowError(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*${problem.source}`));
  });

  it('stops start-up on an invalid file', async () => {
    const path = write('invalid.yaml', 'contracts:\n  - { name: x, type: NOPE, actor: A }');
    await expect(createTestApp({ env: { CONTRACTS_FILE: path } })).rejects.toThrowError(/invalid\.yaml: contracts\[0\]\.type/);
  });
});
