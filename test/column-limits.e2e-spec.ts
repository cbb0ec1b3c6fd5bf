import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { expectProblem } from './setup/problem';
import { ClaimedJob, workerCall } from './setup/workers';

/**
 * Every column a request writes: its largest value is stored and read back as sent, one more is a 400 naming
 * the field (docs/contracts.md, "Text fields"). Meant for MariaDB, where a varchar counts characters and a
 * TEXT holds 65,535 bytes; on SQLite, which stores anything, it still checks the 400s.
 */
const JSON_BYTES = 60 * 1024;
const USER_ATTRS_BYTES = 16 * 1024;

/** `n` characters of four bytes each: the most bytes `n` characters can take. */
const widest = (n: number) => '😀'.repeat(n);
/** `n + 1` characters that class-validator's MaxLength counted as about half (it skips variation selectors). */
const oneOver = (n: number) => 'a\ufe0f'.repeat(Math.floor((n + 1) / 2)) + 'a'.repeat((n + 1) % 2);
const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const chunks = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

/** Builds the value whose JSON takes exactly `bytes`, padding the string `build` places with two-byte characters. */
function sized<T>(bytes: number, build: (filler: string) => T): T {
  const room = bytes - bytesOf(build(''));
  const value = build('é'.repeat(Math.floor(room / 2)) + 'x'.repeat(room % 2));
  expect(bytesOf(value)).toBe(bytes);
  return value;
}

const userAttrs = (bytes: number) =>
  sized(bytes, (filler) => Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`attr-${i}`, chunks(filler, 256)[i] ?? ''])));
const NOTE = 'é'.repeat(15_000);
const variables = [
  { name: 'text', type: 'string' },
  { name: 'note', type: 'string', default: NOTE },
];

const fieldsOf = (response: request.Response) => (response.body.errors ?? []).map((error: { field: string }) => error.field);

function expectRefused(response: request.Response, field: string) {
  expectProblem(response, 400, 'VALIDATION_FAILED');
  expect(fieldsOf(response)).toEqual([field]);
}

describe('column limits', () => {
  let t: TestApp;
  const admin = asAdmin();
  const get = (path: string) => request(t.server).get(t.path(path)).set(admin).expect(200);
  const put = (path: string, body: object) => request(t.server).put(t.path(path)).set(admin).send(body);

  const action = (overrides: Record<string, unknown> = {}, template: Record<string, unknown> = {}) => ({
    name: 'run',
    queue: 'q'.repeat(128),
    workflowTemplate: { id: '1', name: widest(128), revision: '1', description: widest(1024), ...template },
    variables,
    ...overrides,
  });
  const widestContract = contractBody({ actor: widest(128), description: widest(1024), actions: [action()] });

  beforeAll(async () => {
    t = await createTestApp();
    await putContract(t, 'c'.repeat(128), widestContract);
  });

  afterAll(async () => {
    await t.close();
  });

  it('contracts and actions: name, actor, description, workflow template, queue, the declaration list', async () => {
    const stored = (await get(`/contracts/${'c'.repeat(128)}`)).body;
    expect(stored).toMatchObject({ actor: widest(128), description: widest(1024) });
    expect(stored.actions[0]).toMatchObject({ queue: 'q'.repeat(128), workflowTemplate: action().workflowTemplate, variables });

    const declarations = (bytes: number) => sized(bytes, (filler) => [{ name: 'big', type: 'string', default: filler }]);
    expect((await put('/contracts/decl-max', contractBody({ actions: [action({ variables: declarations(JSON_BYTES) })] }))).status).toBe(201);
    expect((await get('/contracts/decl-max')).body.actions[0].variables).toEqual(declarations(JSON_BYTES));

    const over: [string, Record<string, unknown>, string][] = [
      ['actor', { actor: oneOver(128) }, 'actor'],
      ['description', { description: oneOver(1024) }, 'description'],
      ['template name', { actions: [action({}, { name: oneOver(128) })] }, 'actions[0].workflowTemplate.name'],
      ['template description', { actions: [action({}, { description: oneOver(1024) })] }, 'actions[0].workflowTemplate.description'],
      ['queue', { actions: [action({ queue: 'q'.repeat(129) })] }, 'actions[0].queue'],
      ['declarations', { actions: [action({ variables: declarations(JSON_BYTES + 1) })] }, 'actions[0].variables'],
    ];
    for (const [, overrides, field] of over) expectRefused(await put('/contracts/over', contractBody(overrides)), field);
    expectRefused(await put(`/contracts/${'c'.repeat(129)}`, contractBody()), 'contract');
    expectRefused(await put('/contracts/over/actions/run', { ...action({ variables: declarations(JSON_BYTES + 1) }), name: undefined }), 'variables');
    expectProblem(await request(t.server).get(t.path('/contracts/over')).set(admin), 404, 'CONTRACT_NOT_FOUND');
  });

  describe('jobs', () => {
    const body = (overrides: Record<string, unknown>) => ({ contractName: 'c'.repeat(128), actionName: 'run', ...overrides });
    const maxVariables = sized(JSON_BYTES, (filler) => ({ text: filler, note: NOTE }));
    let job: ClaimedJob;

    it('at submission: extIPID, userAttrs, actionVariables (defaults included) and the copied template', async () => {
      const over: [Record<string, unknown>, string][] = [
        [{ extIPID: oneOver(64) }, 'extIPID'],
        [{ userAttrs: userAttrs(USER_ATTRS_BYTES + 1) }, 'userAttrs'],
        [{ actionVariables: { text: sized(JSON_BYTES + 1, (filler) => ({ text: filler, note: NOTE })).text } }, 'actionVariables'],
      ];
      for (const [overrides, field] of over) expectRefused(await submit(t, admin, body(overrides)), field);

      const sent = { extIPID: widest(64), userAttrs: userAttrs(USER_ATTRS_BYTES), actionVariables: { text: maxVariables.text } };
      const created = await submit(t, admin, body(sent)).expect(201);
      const stored = (await get(`/job-manager/jobs/${created.body.id}`)).body;
      expect(stored).toMatchObject({ extIPID: sent.extIPID, dfic: { userAttrs: sent.userAttrs }, actionVariables: maxVariables });
      expect(stored.contractActionWorkflowInstance).toMatchObject({ workflowTemplateName: widest(128), workflowTemplateDescription: widest(1024) });
    });

    it('from workers and control: workerId, heartbeat message, log lines, name, description, tags, result', async () => {
      const claim = (workerId: string) =>
        request(t.server).post(t.path('/job-manager/workers/claim')).set(admin).send({ workerId, queues: ['q'.repeat(128)] });
      expectRefused(await claim(oneOver(128)), 'workerId');
      [job] = (await claim(widest(128)).expect(200)).body.jobs;
      const lease = { leaseToken: job.lease.token };

      expectRefused(await workerCall(t, admin, job.id, 'heartbeat', { ...lease, message: oneOver(1024) }), 'message');
      await workerCall(t, admin, job.id, 'heartbeat', { ...lease, message: widest(1024) }).expect(200);
      expectRefused(await workerCall(t, admin, job.id, 'logs', { ...lease, lines: [{ message: oneOver(4096) }] }), 'lines[0].message');
      await workerCall(t, admin, job.id, 'logs', { ...lease, lines: [{ message: widest(4096) }] }).expect(200);

      const patch = (changes: object) => request(t.server).patch(t.path(`/job-manager/jobs/${job.id}`)).set(admin).send(changes);
      const tags = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(64, 't'));
      expectRefused(await patch({ name: oneOver(255) }), 'name');
      expectRefused(await patch({ description: oneOver(1024) }), 'description');
      expectRefused(await patch({ tags: [...tags, 'one-more'] }), 'tags');
      await patch({ name: widest(255), description: widest(1024), tags }).expect(200);
      const running = (await get(`/job-manager/jobs/${job.id}`)).body;
      expect(running).toMatchObject({ statusMessage: widest(1024), name: widest(255), description: widest(1024), tags });
      expect((await get(`/job-manager/jobs/${job.id}/logs`)).body.lines.map((line: { message: string }) => line.message)).toEqual([widest(4096)]);

      const result = (bytes: number) => sized(bytes, (filler) => ({ rows: [filler] }));
      expectRefused(await workerCall(t, admin, job.id, 'complete', { ...lease, result: result(JSON_BYTES + 1) }), 'result');
      await workerCall(t, admin, job.id, 'complete', { ...lease, result: result(JSON_BYTES) }).expect(200);
      expect((await get(`/job-manager/jobs/${job.id}`)).body.result).toEqual(result(JSON_BYTES));
      expect((await get(`/job-manager/jobs/${job.id}/executions`)).body.executions[0].workerId).toBe(widest(128));
    });

    const failing = async () => {
      await submit(t, admin, body({ actionVariables: { text: 'x' } })).expect(201);
      const claimed = await request(t.server).post(t.path('/job-manager/workers/claim')).set(admin).send({ workerId: 'w', queues: ['q'.repeat(128)] });
      const [claimedJob] = claimed.body.jobs as ClaimedJob[];
      const fail = (error: string) => workerCall(t, admin, claimedJob.id, 'fail', { leaseToken: claimedJob.lease.token, error, retryable: false });
      const storedError = async () => (await get(`/job-manager/jobs/${claimedJob.id}/executions`)).body.executions[0].error as string;
      return { fail, storedError };
    };

    it("from a failing worker: the execution's error", async () => {
      const { fail, storedError } = await failing();
      expectRefused(await fail(oneOver(4096)), 'error');
      await fail('€'.repeat(4096)).expect(200);
      expect(await storedError()).toBe('€'.repeat(4096));
    });

    it('keeps an error of 4,096 astral characters whole', async () => {
      const { fail, storedError } = await failing();
      await fail(widest(4096)).expect(200);
      expect((await storedError()).length).toBe(widest(4096).length);
    });
  });
});
