import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, Headers, withRoles } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { expectProblem } from './setup/problem';
import { claim, workerCall } from './setup/workers';

const CATASTROPHIC = '^([a-zA-Z0-9]+\\s?)*$';
const template = { id: '1', name: 'tpl', revision: '1' };
const variables = [
  { name: 'code', type: 'string', pattern: CATASTROPHIC, maxLength: 40 },
  { name: 'valueOf', type: 'string' },
  { name: 'cfg', type: 'object' },
];

const fieldsOf = (response: request.Response) => (response.body.errors ?? []).map((error: { field: string }) => error.field);

function expectRefused(response: request.Response, field: string) {
  expectProblem(response, 400, 'VALIDATION_FAILED');
  expect(fieldsOf(response)).toEqual([field]);
}

describe('input validation', () => {
  let t: TestApp;
  let alice: Headers;
  const admin = asAdmin();
  const job = (overrides: Record<string, unknown> = {}) => ({ contractName: 'iv', actionName: 'run', ...overrides });
  const put = (path: string, body: object) => request(t.server).put(t.path(path)).set(admin).send(body);
  const get = (path: string) => request(t.server).get(t.path(path)).set(alice).expect(200);

  beforeAll(async () => {
    t = await createTestApp();
    alice = await withRoles('alice', ['Administrators']);
    await putContract(t, 'iv', contractBody({ actions: [{ name: 'run', queue: 'iv-q', workflowTemplate: template, variables }] }));
  });

  afterAll(async () => {
    await t.close();
  });

  describe('declared patterns run in RE2', () => {
    it('refuses at declaration a pattern RE2 cannot compile, naming it with RE2\'s message', async () => {
      for (const pattern of ['^(?=a)a', '(a)\\1']) {
        const response = await put('/contracts/iv/actions/bad', { workflowTemplate: template, variables: [{ name: 'v', type: 'string', pattern }] });
        expectRefused(response, 'variables[0].pattern');
        expect(response.body.errors[0].message).toMatch(/^is not a valid regular expression: \S/);
      }
    });

    it('answers a submission whose value is a near miss of a catastrophic pattern at once', async () => {
      await submit(t, alice, job({ actionVariables: { code: 'warm up' } })).expect(201);
      const started = performance.now();
      const response = await submit(t, alice, job({ actionVariables: { code: `${'a'.repeat(29)}!` } }));
      const elapsed = performance.now() - started;
      expectRefused(response, 'actionVariables.code');
      expect(response.body.errors[0].message).toBe(`must match the pattern ${CATASTROPHIC}`);
      // Exponential backtracking took 6.3 s at 26 characters; the bound only proves it is gone (bench/ measures speed).
      expect(elapsed).toBeLessThan(1000);
    });

    it('checks maxLength before the pattern', async () => {
      const response = await submit(t, alice, job({ actionVariables: { code: `${'a'.repeat(50_000)}!` } }));
      expect(response.body.errors).toEqual([{ field: 'actionVariables.code', message: 'must be at most 40 characters long' }]);
    });
  });

  describe('keys named like Object.prototype members', () => {
    const sent = JSON.parse('{"valueOf":"v","cfg":{"toString":"x","hasOwnProperty":[1],"isPrototypeOf":{"valueOf":null}}}');
    const attrs = { toString: 'a', valueOf: 'b', region: 'emea' };

    it('are stored exactly as sent in actionVariables and userAttrs, and a variable named valueOf works', async () => {
      const created = await submit(t, alice, job({ actionVariables: sent, userAttrs: attrs })).expect(201);
      const stored = (await get(`/job-manager/jobs/${created.body.id}`)).body;
      for (const answer of [created.body, stored]) {
        expect(JSON.stringify(answer.actionVariables)).toBe(JSON.stringify(sent));
        expect(JSON.stringify(answer.dfic.userAttrs)).toBe(JSON.stringify(attrs));
      }
    });

    it('are stored exactly as sent in a worker result', async () => {
      await submit(t, alice, job({ actionVariables: { code: 'for the worker' } })).expect(201);
      const claimed = await claim(t, admin, { queues: ['iv-q'], maxJobs: 100 });
      const last = claimed[claimed.length - 1];
      await workerCall(t, admin, last.id, 'complete', { leaseToken: last.lease.token, result: sent }).expect(200);
      expect(JSON.stringify((await get(`/job-manager/jobs/${last.id}`)).body.result)).toBe(JSON.stringify(sent));
    });

    it('are refused, not dropped, where they are no known property', async () => {
      const declaration = { workflowTemplate: template, variables: [{ name: 'v', type: 'string', toString: 'x' }] };
      expectRefused(await put('/contracts/iv/actions/odd', declaration), 'variables[0].toString');
      expectRefused(await submit(t, alice, job({ actionVariables: { toString: 'x' } })), 'actionVariables.toString');
    });

    it('refuses __proto__, constructor and prototype keys at any depth, naming them', async () => {
      for (const [json, field] of [
        ['{"contractName":"iv","actionName":"run","actionVariables":{"cfg":{"constructor":1}}}', 'actionVariables.cfg.constructor'],
        ['{"contractName":"iv","actionName":"run","userAttrs":{"prototype":"x"}}', 'userAttrs.prototype'],
      ]) {
        const response = await request(t.server).post(t.path('/job-manager/jobs')).set(alice).set('content-type', 'application/json').send(json);
        expect(response.body.errors).toEqual([{ field, message: 'is a forbidden key' }]);
      }
    });
  });

  describe('text must be well-formed Unicode, and names have no control characters', () => {
    it('refuses lone surrogates in extIPID, which would read back alike, and accepts U+FFFD', async () => {
      for (const extIPID of ['\ud800', '\ud801', 'a\udc00']) expectRefused(await submit(t, alice, job({ extIPID })), 'extIPID');
      const created = await submit(t, alice, job({ extIPID: '\ufffd' })).expect(201);
      expect((await get(`/job-manager/jobs/${created.body.id}`)).body.extIPID).toBe('\ufffd');
    });

    it.each([
      ['extIPID', { extIPID: 'order\u0000' }, 'extIPID'],
      ['contractName', { contractName: 'iv\u001b' }, 'contractName'],
      ['a userAttrs value', { userAttrs: { region: 'emea\u0085' } }, 'userAttrs'],
      ['a userAttrs value', { userAttrs: { region: '\udfff' } }, 'userAttrs'],
    ])('refuses %s with a control or a lone surrogate', async (_label, overrides, field) => {
      expectRefused(await submit(t, alice, job(overrides)), field);
    });

    it.each([
      ['actor', { actor: 'ACME\n' }, 'actor'],
      ['a description', { description: 'bell\u0007' }, 'description'],
      ['a description', { description: 'half \ud83d' }, 'description'],
      ['a template name', { actions: [{ name: 'a', workflowTemplate: { ...template, name: 'tpl\t' } }] }, 'actions[0].workflowTemplate.name'],
      ['a variable description', { actions: [{ name: 'a', workflowTemplate: template, variables: [{ name: 'v', type: 'string', description: '\u0000' }] }] }, 'actions[0].variables[0].description'],
    ])('refuses %s that is not safe text in a contract', async (_label, overrides, field) => {
      expectRefused(await put('/contracts/iv-text', contractBody(overrides)), field);
    });

    it('lets free text keep tabs and line breaks', async () => {
      const description = 'first line\r\n\tsecond line';
      expect((await put('/contracts/iv-free', contractBody({ description }))).status).toBe(201);
      expect((await get('/contracts/iv-free')).body.description).toBe(description);
    });

    it('refuses unsafe text from workers and job patches', async () => {
      await submit(t, alice, job({ actionVariables: { code: 'worker text' } })).expect(201);
      const [running] = await claim(t, admin, { queues: ['iv-q'] });
      const lease = { leaseToken: running.lease.token };
      expectRefused(await workerCall(t, admin, running.id, 'heartbeat', { ...lease, message: 'ok\ud800' }), 'message');
      expectRefused(await workerCall(t, admin, running.id, 'logs', { ...lease, lines: [{ message: 'nul\u0000' }] }), 'lines[0].message');
      expectRefused(await workerCall(t, admin, running.id, 'fail', { ...lease, error: '\udc00' }), 'error');
      const patch = (changes: object) => request(t.server).patch(t.path(`/job-manager/jobs/${running.id}`)).set(alice).send(changes);
      expectRefused(await patch({ name: 'red\u001b[31m' }), 'name');
      expectRefused(await patch({ description: '\u009b' }), 'description');
      expectRefused(await request(t.server).post(t.path('/job-manager/workers/claim')).set(admin).send({ workerId: 'w\u0000', queues: ['iv-q'] }), 'workerId');
      expectRefused(await request(t.server).get(t.path('/job-manager/jobs')).query({ extIPID: 'a\u0000' }).set(alice), 'extIPID');
    });
  });

  describe('impossible dates', () => {
    it.each([
      ['createdAtFrom', '2026-02-30T00:00:00Z'],
      ['createdAtTo', '2025-02-29T00:00:00Z'],
      ['updatedAtFrom', '2026-04-31T10:00:00+02:00'],
      ['updatedAtTo', '2026-01-01T24:00:00Z'],
    ])('refuses %s=%s, naming the field', async (field, value) => {
      expectRefused(await request(t.server).get(t.path('/job-manager/jobs')).query({ [field]: value }).set(alice), field);
    });

    it('accepts a real leap day', async () => {
      await request(t.server).get(t.path('/job-manager/jobs')).query({ createdAtFrom: '2024-02-29T00:00:00Z' }).set(alice).expect(200);
    });
  });
});
