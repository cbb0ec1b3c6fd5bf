import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIpid } from '../src/jobs/ipid';
import { asAdmin, Headers, withRoles } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { expectProblem } from './setup/problem';

const TEMPLATE = { id: '7', name: 'import-orders', revision: '3', description: 'imports orders' };

describe('job submission', () => {
  let t: TestApp;
  let alice: Headers;
  let bob: Headers;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await withRoles('alice', ['Administrators']);
    bob = await withRoles('bob', ['Administrators']);
    await putContract(
      t,
      'acme-orders',
      contractBody({
        actor: 'ACME',
        actions: [
          {
            name: 'import',
            queue: 'imports',
            priority: 4,
            maxAttempts: 5,
            workflowTemplate: TEMPLATE,
            variables: [
              { name: 'date', type: 'string', required: true, pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
              { name: 'dryRun', type: 'boolean', default: false },
              { name: 'limit', type: 'integer', minimum: 1 },
            ],
          },
          { name: 'plain', workflowTemplate: TEMPLATE },
          { name: 'restricted', workflowTemplate: TEMPLATE, allowedRoles: ['Operators'] },
          { name: 'off', workflowTemplate: TEMPLATE, enabled: false },
        ],
      }),
    );
    await putContract(t, 'retired', contractBody({ enabled: false }));
  });

  afterAll(async () => {
    await t.close();
  });

  const importBody = (extIPID?: string, actionVariables: Record<string, unknown> = { date: '2026-11-23' }) => ({
    contractName: 'acme-orders',
    actionName: 'import',
    actionVariables,
    ...(extIPID === undefined ? {} : { extIPID }),
  });

  it('names the real problem of a body: missing, wrong type, unknown property', async () => {
    const empty = await submit(t, alice, {});
    expectProblem(empty, 400, 'VALIDATION_FAILED');
    expect(empty.body.errors).toEqual([
      { field: 'contractName', message: 'contractName is required' },
      { field: 'actionName', message: 'actionName is required' },
    ]);
    const typed = await submit(t, alice, { contractName: 5, actionName: [7], extIPID: null });
    expect(typed.body.errors).toEqual([
      { field: 'contractName', message: 'contractName must be a string, not a number' },
      { field: 'actionName', message: 'actionName must be a string, not an array' },
    ]);
    const unknown = await submit(t, alice, { ...importBody('named-1'), priority: 9 });
    expect(unknown.body.errors).toEqual([{ field: 'priority', message: 'priority is not a known property' }]);
    const tooLong = await submit(t, alice, { ...importBody('named-2'), contractName: 'c'.repeat(129) });
    expect(tooLong.body.errors).toEqual([{ field: 'contractName', message: expect.stringMatching(/^contractName must be .*128 characters/) }]);
  });

  it('creates a job: 201, Location, the Data One job with the snapshot', async () => {
    const response = await submit(t, alice, { ...importBody('order-1'), userAttrs: { region: 'emea' } })
      .set('X-Correlation-Id', 'corr-123')
      .expect(201);
    const job = response.body;
    expect(response.headers.location).toBe(`/ghibli-rest/v2/job-manager/jobs/${job.id}`);
    expect(job).toEqual({
      id: expect.stringMatching(/^\d+$/),
      status: 'SUBMITTED',
      statusMessage: '',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      updatedAt: job.createdAt,
      submittedBy: 'alice',
      queue: 'imports',
      actor: 'ACME',
      contract: 'acme-orders',
      contractType: 'INPUT',
      contractAction: 'import',
      contractActionTrigger: 'ON_DEMAND',
      contractActionWorkflowInstance: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        workflowTemplateId: '7',
        workflowTemplateName: 'import-orders',
        workflowTemplateRevision: '3',
        workflowTemplateDescription: 'imports orders',
      },
      dfic: { dfiid: expect.stringMatching(/^[0-9a-f-]{36}$/), lcid: 'corr-123', userAttrs: { region: 'emea' } },
      extIPID: 'order-1',
      actionVariables: { date: '2026-11-23', dryRun: false },
      priority: 4,
      attempts: 0,
      maxAttempts: 5,
      progress: null,
      notBefore: null,
      startedAt: null,
      finishedAt: null,
      result: null,
      name: null,
      description: null,
      tags: [],
      abortRequested: false,
      resubmittedFrom: null,
    });
    const [row] = await t.dataSource.query('SELECT ipid FROM jobs WHERE id = ?', [job.id]);
    expect(row.ipid).toBe(computeIpid('alice', 'acme-orders', 'import', 'order-1'));
    const read = await request(t.server).get(t.path(`/job-manager/jobs/${job.id}`)).set(alice).expect(200);
    expect(read.body).toEqual(job);
  });

  it('answers a duplicate with 409 and the existing job, whatever its status', async () => {
    const first = await submit(t, alice, importBody('order-2')).expect(201);
    await t.dataSource.query("UPDATE jobs SET status = 'COMPLETED' WHERE id = ?", [first.body.id]);
    const second = await submit(t, alice, importBody('order-2')).expect(409);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['idempotency-mismatch']).toBeUndefined();
    expect(second.body).toMatchObject({ id: first.body.id, status: 'COMPLETED', extIPID: 'order-2' });
    expect(second.headers['content-type']).toMatch(/^application\/json/);
  });

  it('flags a duplicate whose variables differ, still answering the original job', async () => {
    const first = await submit(t, alice, importBody('order-3')).expect(201);
    const second = await submit(t, alice, importBody('order-3', { date: '2026-11-24' })).expect(409);
    expect(second.headers['idempotency-mismatch']).toBe('actionVariables');
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.actionVariables.date).toBe('2026-11-23');
  });

  it('treats defaults as part of the variables: an explicit default is no mismatch', async () => {
    await submit(t, alice, importBody('order-4')).expect(201);
    const again = await submit(t, alice, importBody('order-4', { date: '2026-11-23', dryRun: false })).expect(409);
    expect(again.headers['idempotency-mismatch']).toBeUndefined();
  });

  it('scopes the IPID per user, contract, action and exact extIPID', async () => {
    const mine = await submit(t, alice, importBody('shared-key')).expect(201);
    const theirs = await submit(t, bob, importBody('shared-key')).expect(201);
    const otherAction = await submit(t, alice, { contractName: 'acme-orders', actionName: 'plain', extIPID: 'shared-key' }).expect(201);
    const otherCase = await submit(t, alice, importBody('Shared-Key')).expect(201);
    const trailingSpace = await submit(t, alice, importBody('shared-key ')).expect(201);
    const ids = new Set([mine, theirs, otherAction, otherCase, trailingSpace].map((response) => response.body.id));
    expect(ids.size).toBe(5);
  });

  it('creates a new job every time when there is no extIPID', async () => {
    const one = await submit(t, alice, importBody()).expect(201);
    const two = await submit(t, alice, importBody()).expect(201);
    expect(one.body.id).not.toBe(two.body.id);
    expect(one.body.extIPID).toBeNull();
  });

  it('defaults actionVariables to {} and generates the correlation id when absent', async () => {
    const response = await submit(t, alice, { contractName: 'acme-orders', actionName: 'plain', extIPID: 'no-vars' }).expect(201);
    expect(response.body.actionVariables).toEqual({});
    expect(response.body.dfic.lcid).toBe(response.headers['x-correlation-id']);
    expect(response.body.dfic.lcid).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('refusals (each reserves nothing: a corrected retry with the same extIPID succeeds)', () => {
    const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field).sort();

    it.each([
      ['a missing contractName', { actionName: 'import', extIPID: 'r-1' }, ['contractName']],
      ['a missing actionName', { contractName: 'acme-orders', extIPID: 'r-2' }, ['actionName']],
      ['an extIPID over 64 characters', { ...importBody('x'.repeat(65)) }, ['extIPID']],
      ['an empty extIPID', { ...importBody(''), extIPID: '' }, ['extIPID']],
      ['an unknown property', { ...importBody('r-3'), priority: 9 }, ['priority']],
      ['actionVariables that is not an object', { ...importBody('r-4'), actionVariables: [1] }, ['actionVariables']],
      ['a non-string userAttrs value', { ...importBody('r-5'), userAttrs: { a: 1 } }, ['userAttrs']],
    ])('400 for %s, naming the field', async (_label, body, expected) => {
      const response = await submit(t, alice, body);
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(fields(response.body)).toEqual(expected);
    });

    it('400 naming each bad variable: unknown, missing required, wrong type, constraint', async () => {
      const response = await submit(t, alice, importBody('r-6', { dryRun: 'yes', limit: 0, color: 'red' }));
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(fields(response.body)).toEqual([
        'actionVariables.color',
        'actionVariables.date',
        'actionVariables.dryRun',
        'actionVariables.limit',
      ]);
      await submit(t, alice, importBody('r-6')).expect(201);
    });

    it('404 for an unknown contract or action', async () => {
      expectProblem(await submit(t, alice, { contractName: 'nope', actionName: 'import', extIPID: 'r-7' }), 404, 'CONTRACT_NOT_FOUND');
      expectProblem(await submit(t, alice, { contractName: 'acme-orders', actionName: 'nope', extIPID: 'r-7' }), 404, 'ACTION_NOT_FOUND');
    });

    it('422 for a disabled contract or action', async () => {
      expectProblem(await submit(t, alice, { contractName: 'retired', actionName: 'import', actionVariables: { date: 'x' } }), 422, 'CONTRACT_DISABLED');
      expectProblem(await submit(t, alice, { contractName: 'acme-orders', actionName: 'off' }), 422, 'ACTION_DISABLED');
    });

    it('sees catalogue changes made through this instance at once, though submissions cache the catalogue', async () => {
      const body = { contractName: 'short-lived', actionName: 'import', actionVariables: { date: '2026-11-23' } };
      await putContract(t, 'short-lived');
      await submit(t, alice, body).expect(201);
      await putContract(t, 'short-lived', contractBody({ enabled: false }));
      expectProblem(await submit(t, alice, body), 422, 'CONTRACT_DISABLED');
      await putContract(t, 'short-lived');
      await submit(t, alice, body).expect(201);
      await request(t.server).delete(t.path('/contracts/short-lived/actions/import')).set(asAdmin()).expect(204);
      expectProblem(await submit(t, alice, body), 404, 'ACTION_NOT_FOUND');
      await request(t.server).delete(t.path('/contracts/short-lived')).set(asAdmin()).expect(204);
      expectProblem(await submit(t, alice, body), 404, 'CONTRACT_NOT_FOUND');
    });

    it('403 when the action allows only other roles; a caller with the role gets through', async () => {
      const body = { contractName: 'acme-orders', actionName: 'restricted', extIPID: 'r-8' };
      expectProblem(await submit(t, alice, body), 403, 'FORBIDDEN');
      await submit(t, await withRoles('alice', ['Administrators', 'Operators']), body).expect(201);
    });

    it('401 without credentials and 403 without WORKFLOW, reserving nothing', async () => {
      expectProblem(await submit(t, {}, importBody('r-9')), 401, 'UNAUTHENTICATED');
      expectProblem(await submit(t, await withRoles('alice', ['Users']), importBody('r-9')), 403, 'FORBIDDEN');
      await submit(t, alice, importBody('r-9')).expect(201);
    });

    it('never writes a row for a refused request', async () => {
      const before = await t.dataSource.query("SELECT COUNT(*) AS count FROM jobs WHERE ext_ipid = 'r-10'");
      await submit(t, alice, importBody('r-10', { date: 5 }));
      const after = await t.dataSource.query("SELECT COUNT(*) AS count FROM jobs WHERE ext_ipid = 'r-10'");
      expect(Number(after[0].count)).toBe(Number(before[0].count));
    });
  });

  describe('GET /job-manager/jobs/{id}', () => {
    it.each([['abc'], ['0'], ['-1'], ['1.5'], ['9223372036854775808'], ['12345678901234567890']])('400 for id %s', async (id) => {
      expectProblem(await request(t.server).get(t.path(`/job-manager/jobs/${id}`)).set(alice), 400, 'VALIDATION_FAILED');
    });

    it('404 for an unknown id', async () => {
      expectProblem(await request(t.server).get(t.path('/job-manager/jobs/9223372036854775807')).set(alice), 404, 'JOB_NOT_FOUND');
    });

    it("shows others' jobs only to holders of JOBS_ALL", async () => {
      const job = (await submit(t, alice, importBody('visibility'))).body;
      await request(t.server).get(t.path(`/job-manager/jobs/${job.id}`)).set(await withRoles('carol', ['Users'])).expect(200);
      await request(t.server).put(t.path('/admin/permissions/JOBS_ALL')).set(asAdmin()).send({ roles: ['Administrators'] }).expect(200);
      try {
        const hidden = await request(t.server).get(t.path(`/job-manager/jobs/${job.id}`)).set(await withRoles('carol', ['Users']));
        expectProblem(hidden, 404, 'JOB_NOT_FOUND');
        await request(t.server).get(t.path(`/job-manager/jobs/${job.id}`)).set(await withRoles('alice', ['Users'])).expect(200);
      } finally {
        await request(t.server).put(t.path('/admin/permissions/JOBS_ALL')).set(asAdmin()).send({ roles: ['Users', 'Administrators'] }).expect(200);
      }
    });
  });

  it('keeps the snapshot when the contract changes or disappears later', async () => {
    await putContract(t, 'ephemeral', contractBody({ actor: 'OLD' }));
    const job = (await submit(t, alice, { contractName: 'ephemeral', actionName: 'import', actionVariables: { date: 'd' } }).expect(201)).body;
    await putContract(t, 'ephemeral', contractBody({ actor: 'NEW' }));
    await request(t.server).delete(t.path('/contracts/ephemeral')).set(asAdmin()).expect(204);
    const read = await request(t.server).get(t.path(`/job-manager/jobs/${job.id}`)).set(alice).expect(200);
    expect(read.body).toEqual(job);
  });
});
