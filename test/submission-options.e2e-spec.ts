import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, Headers, withRoles } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit, SUBMIT_PATH } from './setup/jobs';
import { expectProblem } from './setup/problem';
import { computeIpid } from '../src/jobs/ipid';

const TEMPLATE = { id: '7', name: 'import-orders', revision: '3' };
const VARIABLES = [
  { name: 'date', type: 'string', required: true },
  { name: 'dryRun', type: 'boolean', default: false },
  { name: 'token', type: 'string', secret: true },
];

describe('validate-only, Idempotency-Key, mismatch policy and resubmit', () => {
  let t: TestApp;
  let alice: Headers;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await withRoles('alice', ['Integrations']);
    await putContract(t, 'opts', contractBody({
      actions: [
        { name: 'replay', queue: 'opts', workflowTemplate: TEMPLATE, variables: VARIABLES },
        { name: 'reject', queue: 'opts', workflowTemplate: TEMPLATE, variables: VARIABLES, onMismatch: 'REJECT' },
      ],
    }));
  });

  afterAll(async () => {
    await t.close();
  });

  const body = (action: string, extra: Record<string, unknown> = {}) => ({ contractName: 'opts', actionName: action, actionVariables: { date: '2026-12-02' }, ...extra });
  const validate = (payload: Record<string, unknown>, headers: Headers = alice) =>
    request(t.server).post(t.path(SUBMIT_PATH)).query({ validateOnly: 'true' }).set(headers).send(payload);
  const count = async () => (await request(t.server).get(t.path(SUBMIT_PATH)).query({ contract: 'opts', includeTotal: 'true' }).set(asAdmin())).body.total;

  describe('validateOnly=true', () => {
    it('answers what the submit would make, and creates nothing', async () => {
      const before = await count();
      const answer = await validate(body('replay', { extIPID: 'check-1', actionVariables: { date: '2026-12-02', token: 's3cret' } })).expect(200);
      expect(answer.body).toEqual({
        valid: true,
        ipid: computeIpid('alice', 'opts', 'replay', 'check-1'),
        wouldReplay: false,
        resolved: { queue: 'opts', workflowTemplate: TEMPLATE, actionVariables: { date: '2026-12-02', dryRun: false, token: '***' } },
      });
      expect(await count()).toBe(before);
      const created = await submit(t, alice, body('replay', { extIPID: 'check-1' })).expect(201);
      const again = await validate(body('replay', { extIPID: 'check-1' })).expect(200);
      expect(again.body).toMatchObject({ wouldReplay: true, existingJobId: created.body.id });
      expect(await count()).toBe(before + 1);
    });

    it('answers the 4xx a submit would', async () => {
      expectProblem(await validate(body('replay', { actionVariables: {} })), 400, 'VALIDATION_FAILED');
      expectProblem(await validate(body('nope')), 404, 'ACTION_NOT_FOUND');
      expectProblem(await validate(body('replay'), await withRoles('worker', ['Workers'])), 403, 'FORBIDDEN');
      expectProblem(await request(t.server).post(t.path(SUBMIT_PATH)).query({ validateOnly: 'maybe' }).set(alice).send(body('replay')), 400, 'VALIDATION_FAILED');
    });
  });

  describe('the Idempotency-Key header', () => {
    it('is the extIPID when the body has none, quoted or bare', async () => {
      const first = await submit(t, alice, body('replay')).set('Idempotency-Key', 'key-1').expect(201);
      expect(first.body.extIPID).toBe('key-1');
      const quoted = await submit(t, alice, body('replay')).set('Idempotency-Key', '"key-1"').expect(409);
      expect(quoted.body.id).toBe(first.body.id);
      await submit(t, alice, body('replay', { extIPID: 'key-1' })).set('Idempotency-Key', 'key-1').expect(409);
    });

    it('refuses a key that differs from the body\'s extIPID, or is not a valid extIPID', async () => {
      expectProblem(await submit(t, alice, body('replay', { extIPID: 'a' })).set('Idempotency-Key', 'b'), 400, 'IDEMPOTENCY_KEY_CONFLICT');
      expectProblem(await submit(t, alice, body('replay')).set('Idempotency-Key', 'x'.repeat(65)), 400, 'VALIDATION_FAILED');
      expectProblem(await submit(t, alice, body('replay')).set('Idempotency-Key', '""'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('onMismatch', () => {
    it('REPLAY (the default) answers 409 with the existing job and Idempotency-Mismatch', async () => {
      const first = await submit(t, alice, body('replay', { extIPID: 'mm-1' })).expect(201);
      const other = await submit(t, alice, body('replay', { extIPID: 'mm-1', actionVariables: { date: '2026-12-03' } })).expect(409);
      expect(other.body.id).toBe(first.body.id);
      expect(other.headers['idempotency-mismatch']).toBe('actionVariables');
    });

    it('REJECT answers 422 IDEMPOTENCY_MISMATCH naming the existing job; equal variables still replay', async () => {
      const first = await submit(t, alice, body('reject', { extIPID: 'mm-2' })).expect(201);
      await submit(t, alice, body('reject', { extIPID: 'mm-2' })).expect(409);
      const refused = await submit(t, alice, body('reject', { extIPID: 'mm-2', actionVariables: { date: '2026-12-03' } }));
      expectProblem(refused, 422, 'IDEMPOTENCY_MISMATCH');
      expect(refused.body.existingJobId).toBe(first.body.id);
      expectProblem(await validate(body('reject', { extIPID: 'mm-2', actionVariables: { date: '2026-12-03' } })), 422, 'IDEMPOTENCY_MISMATCH');
      const action = await request(t.server).get(t.path('/contracts/opts/actions/reject')).set(asAdmin()).expect(200);
      expect(action.body.onMismatch).toBe('REJECT');
    });
  });

  describe('POST /job-manager/jobs/{id}/resubmit', () => {
    it('makes a new job of the same action with overridden variables, linked both ways', async () => {
      const source = await submit(t, alice, body('replay', { actionVariables: { date: '2026-12-01', token: 'abc' } })).expect(201);
      const copy = await request(t.server).post(t.path(`/job-manager/jobs/${source.body.id}/resubmit`)).set(alice).send({ actionVariables: { dryRun: true } }).expect(201);
      expect(copy.headers.location).toBe(t.path(`/job-manager/jobs/${copy.body.id}`));
      expect(copy.body).toMatchObject({ contract: 'opts', contractAction: 'replay', status: 'SUBMITTED', resubmittedFrom: source.body.id });
      expect(copy.body.actionVariables).toEqual({ date: '2026-12-01', dryRun: true, token: '***' });
      const listed = await request(t.server).get(t.path(SUBMIT_PATH)).query({ resubmittedFrom: source.body.id }).set(asAdmin()).expect(200);
      expect(listed.body.jobs.map((job: { id: string }) => job.id)).toEqual([copy.body.id]);
      const events = await request(t.server).get(t.path(`/job-manager/jobs/${source.body.id}/events`)).set(alice).expect(200);
      expect(events.body.events.at(-1)).toMatchObject({ type: 'job.resubmitted', actor: 'alice', data: { newJobId: copy.body.id } });
    });

    it('is idempotent by extIPID, needs WORKFLOW and visibility of the source, and validates the overrides', async () => {
      const source = await submit(t, alice, body('replay')).expect(201);
      const path = t.path(`/job-manager/jobs/${source.body.id}/resubmit`);
      const first = await request(t.server).post(path).set(alice).send({ extIPID: 'rerun-1' }).expect(201);
      const again = await request(t.server).post(path).set(alice).send({ extIPID: 'rerun-1' }).expect(409);
      expect(again.body.id).toBe(first.body.id);
      expectProblem(await request(t.server).post(path).set(await withRoles('bob', ['Integrations'])).send({}), 404, 'JOB_NOT_FOUND');
      expectProblem(await request(t.server).post(path).set(await withRoles('watcher', ['Workers'])).send({}), 403, 'FORBIDDEN');
      expectProblem(await request(t.server).post(path).set(alice).send({ actionVariables: { dryRun: 'yes' } }), 400, 'VALIDATION_FAILED');
      expectProblem(await request(t.server).post(path).set(alice).send({ actionVariables: [] }), 400, 'VALIDATION_FAILED');
    });
  });
});
