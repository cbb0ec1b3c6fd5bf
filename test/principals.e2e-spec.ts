import { SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, createUser, Headers, TEST_JWT_SECRET, withRoles } from './setup/auth';
import { putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { expectProblem } from './setup/problem';

/** A token whose sub may be anything, as a careless or hostile issuer could sign it. */
async function tokenWithSub(sub: unknown): Promise<Headers> {
  const claims: Record<string, unknown> = { sub, roles: ['Users'] };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
  return { Authorization: `Bearer ${token}` };
}

const order = (extIPID: string) => ({ contractName: 'acme', actionName: 'import', actionVariables: { date: '2026-11-23' }, extIPID });
const ENV = {
  // Empty reads as unset: the default prefix.
  AUTH_JWT_PRINCIPAL_PREFIX: '',
  AUTH_PERMISSIONS: '{"JOBS_ALL":["Administrators"],"WORKFLOW":["Users","Administrators"]}',
};

describe('principal names', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: ENV });
    await putContract(t, 'acme');
  });

  afterAll(async () => {
    await t.close();
  });

  describe('a JWT sub must be a well-formed name that fits jobs.submitted_by (128 characters) with its prefix', () => {
    const longest = '😀'.repeat(128 - 'jwt:'.length);

    it.each([
      ['a number', 123],
      ['an object', { id: 'alice' }],
      ['an array', ['alice']],
      ['a boolean', true],
      ['null', null],
      ['empty', ''],
      ['one character too long', `${longest}x`],
      ['a newline', 'alice\nadmin'],
      ['a NUL', 'ali\u0000ce'],
      ['a lone surrogate', 'alice\ud800'],
    ])('refuses a sub that is %s with 401 on list and submit', async (_label, sub) => {
      const headers = await tokenWithSub(sub);
      expectProblem(await request(t.server).get(t.path('/job-manager/jobs')).set(headers), 401, 'UNAUTHENTICATED');
      expectProblem(await submit(t, headers, order('bad-sub')), 401, 'UNAUTHENTICATED');
    });

    it('accepts the longest sub that fits, counting characters as the column does (astral ones included)', async () => {
      const job = (await submit(t, await tokenWithSub(longest), order('longest-sub')).expect(201)).body;
      expect(job.submittedBy).toBe(`jwt:${longest}`);
      const [row] = await t.dataSource.query('SELECT submitted_by FROM jobs WHERE id = ?', [job.id]);
      expect(row.submitted_by).toBe(`jwt:${longest}`);
    });
  });

  describe.each([
    ['API key principals', '/admin/api-keys', 'principal', (name: string) => ({ principal: name, roles: ['Users'] })],
    ['local user names', '/admin/users', 'name', (name: string) => ({ name, password: 'long-enough-password', roles: ['Users'] })],
  ])('%s are bounded where they are created', (_label, path, field, body) => {
    it('up to 128 characters', async () => {
      const longest = `${field}-${'a'.repeat(128 - field.length - 1)}`;
      await request(t.server).post(t.path(path)).set(asAdmin()).send(body(longest)).expect(201);
    });

    it.each([
      ['129 characters', 'b'.repeat(129)],
      ['a control character', 'bell\u0007'],
      ['a ":", which names JWT principals', 'jwt:alice'],
      ['non-ASCII letters', 'zoë'],
    ])('refuses %s with 400 naming the field', async (_name, name) => {
      const response = await request(t.server).post(t.path(path)).set(asAdmin()).send(body(name));
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
    });
  });

  describe('schemes never share a principal unless an operator maps one', () => {
    let localAlice: Headers;
    let jwtAlice: Headers;
    let localJob: { id: string };

    beforeAll(async () => {
      localAlice = await createUser(t, 'alice', ['Users']);
      jwtAlice = await withRoles('alice', ['Users']);
      localJob = (await submit(t, localAlice, order('order-1')).expect(201)).body;
    });

    it('a JWT with sub "alice" is "jwt:alice": it cannot see local alice\'s jobs', async () => {
      expect((await request(t.server).get(t.path('/auth/me')).set(jwtAlice).expect(200)).body.principal).toBe('jwt:alice');
      expectProblem(await request(t.server).get(t.path(`/job-manager/jobs/${localJob.id}`)).set(jwtAlice), 404, 'JOB_NOT_FOUND');
      const listed = await request(t.server).get(t.path('/job-manager/jobs')).set(jwtAlice).expect(200);
      expect(listed.body.jobs.map((job: { id: string }) => job.id)).not.toContain(localJob.id);
    });

    it('its submission with the same extIPID creates a job of its own, not a 409 on hers', async () => {
      const mine = (await submit(t, jwtAlice, order('order-1')).expect(201)).body;
      expect(mine.id).not.toBe(localJob.id);
      expect(mine.submittedBy).toBe('jwt:alice');
      await submit(t, jwtAlice, order('order-1')).expect(409);
      const hers = await request(t.server).get(t.path('/job-manager/jobs')).set(localAlice).expect(200);
      expect(hers.body.jobs.map((job: { id: string }) => job.id)).toEqual([localJob.id]);
    });

    it('an API key an admin issues for principal "alice" acts as her: the admin chose that name', async () => {
      const created = await request(t.server)
        .post(t.path('/admin/api-keys'))
        .set(asAdmin())
        .send({ principal: 'alice', roles: ['Users'] });
      await request(t.server).get(t.path(`/job-manager/jobs/${localJob.id}`)).set({ 'X-API-Key': created.body.key }).expect(200);
    });

    it('AUTH_JWT_PRINCIPAL_PREFIX=none names JWT callers by the bare sub again, the operator\'s explicit choice', async () => {
      const bare = await createTestApp({ database: t.database, env: { ...ENV, AUTH_JWT_PRINCIPAL_PREFIX: 'none' } });
      try {
        await request(bare.server).get(bare.path(`/job-manager/jobs/${localJob.id}`)).set(jwtAlice).expect(200);
      } finally {
        await bare.close();
      }
    });

    it.each([
      ['none', 'system:scheduler'],
      ['system:', 'scheduler'],
    ])('refuses a token that would act as the gateway itself (prefix %s, sub %s): system: names are the scheduler\'s', async (prefix, sub) => {
      const bare = await createTestApp({ database: t.database, env: { ...ENV, AUTH_JWT_PRINCIPAL_PREFIX: prefix } });
      try {
        expectProblem(await submit(bare, await tokenWithSub(sub), order('time:2026-11-24T01:00:00.000Z')), 401, 'UNAUTHENTICATED');
      } finally {
        await bare.close();
      }
    });
  });
});
