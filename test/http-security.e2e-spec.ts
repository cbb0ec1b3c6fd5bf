import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, createUser, withRoles } from './setup/auth';
import { putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { expectProblem } from './setup/problem';
import { claim } from './setup/workers';

const order = (extIPID: string) => ({ contractName: 'acme', actionName: 'import', actionVariables: { date: '2026-11-23' }, extIPID });

describe('per-principal rate limits on submit and claim', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        RATE_LIMIT_SUBMIT_PER_SECOND: '1',
        RATE_LIMIT_SUBMIT_BURST: '3',
        RATE_LIMIT_CLAIM_PER_SECOND: '1',
        RATE_LIMIT_CLAIM_BURST: '2',
      },
    });
    await putContract(t, 'acme');
  });

  afterAll(async () => {
    await t.close();
  });

  it('lets a burst through, then answers 429 with Retry-After and the limit named', async () => {
    const alice = await withRoles('alice', ['Administrators']);
    const statuses = [];
    for (const extIPID of ['a-1', 'a-2', 'a-1']) statuses.push((await submit(t, alice, order(extIPID))).status);
    expect(statuses).toEqual([201, 201, 409]);

    const refused = await submit(t, alice, order('a-3'));
    expectProblem(refused, 429, 'RATE_LIMITED');
    expect(refused.body.limit).toBe('submit');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.body.detail).toContain('alice');
  });

  it('keeps one budget per principal, whichever scheme authenticates it', async () => {
    const bob = await withRoles('bob', ['Administrators']);
    for (const extIPID of ['b-1', 'b-2', 'b-3']) expect((await submit(t, bob, order(extIPID))).status).toBe(201);
    expectProblem(await submit(t, bob, order('b-4')), 429, 'RATE_LIMITED');
    // Another principal is unaffected by bob's spending.
    expect((await submit(t, asAdmin(), order('admin-1'))).status).toBe(201);
  });

  it('charges invalid submissions too, but never anonymous ones (those stop at 401)', async () => {
    const carol = await withRoles('carol', ['Administrators']);
    for (let i = 0; i < 3; i++) expectProblem(await submit(t, carol, { contractName: 'acme' }), 400, 'VALIDATION_FAILED');
    expectProblem(await submit(t, carol, order('c-1')), 429, 'RATE_LIMITED');
    for (let i = 0; i < 5; i++) expectProblem(await submit(t, {}, order('anonymous')), 401, 'UNAUTHENTICATED');
  });

  it('limits claims separately from submissions', async () => {
    const worker = await withRoles('worker-1', ['Workers']);
    await claim(t, worker, { queues: ['imports'] });
    await claim(t, worker, { queues: ['imports'] });
    const refused = await request(t.server)
      .post(t.path('/job-manager/workers/claim'))
      .set(worker)
      .send({ workerId: 'w', queues: ['imports'] });
    expectProblem(refused, 429, 'RATE_LIMITED');
    expect(refused.body.limit).toBe('claim');
  });

  it('leaves every other route alone', async () => {
    const dave = await withRoles('dave', ['Administrators']);
    for (let i = 0; i < 10; i++) await request(t.server).get(t.path('/job-manager/jobs')).set(dave).expect(200);
  });
});

describe('security headers and CORS', () => {
  let t: TestApp;
  let withCors: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    withCors = await createTestApp({ env: { CORS_ORIGINS: 'https://console.example.com,http://localhost:3000' } });
  });

  afterAll(async () => {
    await t.close();
    await withCors.close();
  });

  it('sends the headers that keep browsers from sniffing, framing, caching or leaking referrers', async () => {
    for (const response of [
      await request(t.server).get(t.path('/job-manager/jobs')).set(asAdmin()),
      await request(t.server).get(t.path('/job-manager/jobs')),
      await request(t.server).get(t.path('/no-such-route')),
      await request(t.server).get(t.path('/job-manager/jobs/%E0%A4%A')),
    ]) {
      expect(response.headers['x-correlation-id']).toBeDefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('answers no CORS headers by default: browsers on other origins cannot read the API', async () => {
    const preflight = await request(t.server)
      .options(t.path('/job-manager/jobs'))
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await request(t.server).get(t.path('/health')).set('Origin', 'https://evil.example');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows exactly the origins of CORS_ORIGINS, with the headers a client needs', async () => {
    const preflight = await request(withCors.server)
      .options(withCors.path('/job-manager/jobs'))
      .set('Origin', 'https://console.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://console.example.com');
    expect(preflight.headers['access-control-allow-headers']).toContain('X-API-Key');

    const answer = await request(withCors.server)
      .post(withCors.path('/job-manager/jobs'))
      .set('Origin', 'http://localhost:3000')
      .set(asAdmin())
      .send({});
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(answer.headers['access-control-expose-headers']).toContain('Idempotent-Replayed');

    const other = await request(withCors.server)
      .options(withCors.path('/job-manager/jobs'))
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses deeply nested JSON before any validator recurses into it', async () => {
    const deep = `{"contractName":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const response = await request(t.server).post(t.path('/job-manager/jobs')).set(asAdmin()).set('Content-Type', 'application/json').send(deep);
    expectProblem(response, 400, 'MALFORMED_REQUEST');
    expect(response.body.detail).toContain('nests deeper than 32');
  });

  it('routes path parameters as long as the names the API accepts, and answers longer ones as problems', async () => {
    const longestName = 'c'.repeat(128);
    await request(t.server).put(t.path(`/contracts/${longestName}`)).set(asAdmin()).send({ type: 'INPUT', actor: 'ACME' }).expect(201);
    await request(t.server).get(t.path(`/contracts/${longestName}`)).set(asAdmin()).expect(200);
    expectProblem(await request(t.server).get(t.path(`/contracts/${'c'.repeat(300)}`)).set(asAdmin()), 414, 'MALFORMED_REQUEST');
    expectProblem(await request(t.server).get(t.path('/contracts/%zz')).set(asAdmin()), 400, 'MALFORMED_REQUEST');
  });
});

describe('validation holes found by test/fuzz-openapi.e2e-spec.ts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await putContract(t, 'acme');
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses an array where a nested object is expected, at any depth, with 400 naming the field', async () => {
    const action = { name: 'import', workflowTemplate: { id: '7', name: 'w', revision: '1' } };
    for (const [actions, field] of [[[[]], 'actions[0]'], [[[action]], 'actions[0]'], [[action, [[]]], 'actions[1]']] as const) {
      const response = await request(t.server).put(t.path('/contracts/nested')).set(asAdmin()).send({ type: 'INPUT', actor: 'ACME', actions });
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors).toEqual([{ field, message: 'each value in actions must be an object' }]);
    }
    const logs = await request(t.server)
      .post(t.path('/job-manager/jobs/1/logs'))
      .set(asAdmin())
      .send({ leaseToken: '00000000-0000-4000-8000-000000000000', lines: [[{ message: 'x' }]] });
    expectProblem(logs, 400, 'VALIDATION_FAILED');
    expect(logs.body.errors).toEqual([{ field: 'lines[0]', message: 'each value in lines must be an object' }]);
  });

  it('takes null on an optional property for absent, and keeps it where the contract says nullable', async () => {
    const nully = await createUser(t, 'nully', ['Users']);
    const patched = await request(t.server).patch(t.path('/admin/users/nully')).set(asAdmin()).send({ password: null, roles: null, enabled: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'nully', roles: ['Users'], enabled: true });
    await request(t.server).get(t.path('/auth/me')).set(nully).expect(200);

    const job = await submit(t, asAdmin(), order('nullable-name'));
    await request(t.server).patch(t.path(`/job-manager/jobs/${job.body.id}`)).set(asAdmin()).send({ name: 'named' }).expect(200);
    const cleared = await request(t.server).patch(t.path(`/job-manager/jobs/${job.body.id}`)).set(asAdmin()).send({ name: null }).expect(200);
    expect(cleared.body.name).toBeNull();
  });
});
