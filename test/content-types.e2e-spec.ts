import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { expectProblem } from './setup/problem';

const NEW_ADMIN = { name: 'csrf-admin', password: 'a-long-enough-password', roles: ['Administrators'] };
const FORM = 'name=csrf-admin&password=a-long-enough-password&roles=Administrators&roles=Users';

/** Refused bodies: what an HTML form or a script on another origin can send without a CORS preflight, and more. */
const REFUSED: [string, string][] = [
  ['application/x-www-form-urlencoded', FORM],
  ['text/plain', JSON.stringify(NEW_ADMIN)],
  ['text/plain; charset=utf-8', JSON.stringify(NEW_ADMIN)],
  ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="name"\r\n\r\ncsrf-admin\r\n--x--\r\n`],
  ['application/xml', '<user><name>csrf-admin</name></user>'],
  ['application/merge-patch+json', JSON.stringify(NEW_ADMIN)],
  ['application/json-seq', JSON.stringify(NEW_ADMIN)],
];

/** A request through node:http, which (unlike supertest) can send a body with no Content-Type at all. */
function sendRaw(base: string, method: string, path: string, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }>((resolve, reject) => {
    const call = httpRequest(`${base}${path}`, { method, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text ? JSON.parse(text) : {} }));
    });
    call.on('error', reject);
    call.end(body);
  });
}

describe('request bodies: JSON only', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    base = await t.listen();
    await putContract(t, 'acme');
  });

  afterAll(async () => {
    await t.close();
  });

  const userExists = async (name: string) =>
    ((await request(t.server).get(t.path('/admin/users')).set(asAdmin())).body as { name: string }[]).some((user) => user.name === name);

  it.each(REFUSED)('refuses a %s body with 415 naming application/json, and creates nothing', async (type, body) => {
    const response = await request(t.server).post(t.path('/admin/users')).set(asAdmin()).set('Content-Type', type).send(body);
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(response.body.detail).toContain('application/json');
    expect(response.headers['accept-post']).toBe('application/json');
    expect(await userExists('csrf-admin')).toBe(false);
  });

  it('refuses a body without a Content-Type with 415', async () => {
    const response = await sendRaw(base, 'POST', '/admin/users', asAdmin(), JSON.stringify(NEW_ADMIN));
    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: expect.stringContaining('application/json') });
    expect(await userExists('csrf-admin')).toBe(false);
  });

  it('refuses non-JSON bodies on PUT contracts and POST jobs too, before authentication', async () => {
    const contract = await request(t.server).put(t.path('/contracts/csrf')).set(asAdmin()).set('Content-Type', 'text/plain').send(JSON.stringify(contractBody()));
    expectProblem(contract, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await request(t.server).get(t.path('/contracts/csrf')).set(asAdmin()), 404, 'CONTRACT_NOT_FOUND');
    const job = await request(t.server)
      .post(t.path('/job-manager/jobs'))
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('contractName=acme&actionName=import&actionVariables[date]=2026-11-23');
    expectProblem(job, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const listed = await request(t.server).get(t.path('/job-manager/jobs')).set(asAdmin()).expect(200);
    expect(listed.body.jobs).toEqual([]);
  });

  it('names the accepted type in Accept-Patch when a PATCH body is refused', async () => {
    const response = await request(t.server)
      .patch(t.path('/admin/users/admin'))
      .set(asAdmin())
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ enabled: false }));
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(response.headers['accept-patch']).toBe('application/json');
  });

  it('accepts application/json with or without a charset, in any case', async () => {
    for (const [index, type] of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8'].entries()) {
      const user = { ...NEW_ADMIN, name: `json-user-${index}` };
      await request(t.server).post(t.path('/admin/users')).set(asAdmin()).set('Content-Type', type).send(JSON.stringify(user)).expect(201);
      expect(await userExists(user.name)).toBe(true);
    }
  });

  it('keeps bodiless requests working without a Content-Type', async () => {
    const submitted = await request(t.server)
      .post(t.path('/job-manager/jobs'))
      .set(asAdmin())
      .send({ contractName: 'acme', actionName: 'import', actionVariables: { date: '2026-11-23' } })
      .expect(201);
    const abort = await sendRaw(base, 'POST', `/job-manager/jobs/${submitted.body.id}/abort`, asAdmin(), '');
    expect(abort.status).toBe(200);
    expect(abort.body.status).toBe('ABORTED');
    await request(t.server).get(t.path('/job-manager/jobs')).set(asAdmin()).expect(200);
    await request(t.server).delete(t.path('/contracts/no-such-contract')).set(asAdmin()).expect(404);
  });

  it('still answers an unknown route with a body of any type with 404', async () => {
    const response = await request(t.server).post(t.path('/no-such-route')).set('Content-Type', 'text/plain').send('hello');
    expectProblem(response, 404, 'NOT_FOUND');
  });
});
