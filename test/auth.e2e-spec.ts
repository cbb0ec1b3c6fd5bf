import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PERMISSIONS } from '../src/config/resources';
import { asAdmin, basic, bearer, createUser, Headers, TEST_ADMIN_PASSWORD, withRoles } from './setup/auth';
import { contractBody, putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { expectProblem } from './setup/problem';
import { listRoutes, RouteInfo } from './setup/routes';

function send(t: TestApp, route: RouteInfo, headers: Headers = {}) {
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const call = request(t.server)[method](t.path(route.path)).set(headers);
  return ['post', 'put', 'patch'].includes(method) ? call.send({}) : call;
}

/** `alg: none`: a token with no signature at all. */
function unsignedToken(claims: Record<string, unknown>): Headers {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return { Authorization: `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.` };
}

describe('identity and permissions', () => {
  let t: TestApp;
  let routes: RouteInfo[];

  beforeAll(async () => {
    t = await createTestApp();
    routes = listRoutes(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('finds the routes to check', () => {
    expect(routes.length).toBeGreaterThan(5);
  });

  it('every route declares @Public, @Authenticated or @RequirePermission (deny by default)', () => {
    expect(routes.filter((route) => !route.access).map((route) => route.name)).toEqual([]);
  });

  it('only the health probes and the console files (which hold no data) are public', () => {
    const open = routes.filter((route) => route.access?.kind === 'public').map((route) => route.path);
    expect(open.sort()).toEqual(['/console', '/console/assets/1', '/health', '/health/ready']);
  });

  describe('every non-public route refuses a caller who is not authenticated', () => {
    const now = Math.floor(Date.now() / 1000);
    const bad: [string, () => Promise<Headers> | Headers][] = [
      ['no credentials', () => ({})],
      ['an expired token', () => bearer({ sub: 'eve', roles: ['Administrators'] }, { expiresIn: now - 120 })],
      ['a forged signature', () => bearer({ sub: 'eve', roles: ['Administrators'] }, { secret: 'x'.repeat(40) })],
      ['alg none', () => unsignedToken({ sub: 'eve', roles: ['Administrators'], exp: now + 300 })],
      ['a token without exp', () => bearer({ sub: 'eve', roles: ['Administrators'] }, { expiresIn: 0 })],
      ['a wrong Basic password', () => basic('admin', 'not-the-password')],
      ['an unknown Basic user', () => basic('nobody', 'whatever-password')],
      ['a malformed API key', () => ({ 'X-API-Key': 'gw_nope' })],
      ['an unknown API key', () => ({ 'X-API-Key': `gw_0123456789ab_${'A'.repeat(43)}` })],
    ];
    it.each(bad)('with %s: 401 problem naming the accepted schemes', async (_label, makeHeaders) => {
      const headers = await makeHeaders();
      for (const route of routes.filter((candidate) => candidate.access?.kind !== 'public')) {
        const response = await send(t, route, headers);
        expect(response.status, `${route.method} ${route.path}`).toBe(401);
        expectProblem(response, 401, 'UNAUTHENTICATED');
        expect(response.headers['www-authenticate']).toMatch(/Bearer.*Basic.*X-API-Key/);
      }
    });
  });

  it('gives each permission-guarded route to the roles of the map, and 403 to the others', async () => {
    const guarded = routes.filter((route) => route.access?.kind === 'permission');
    expect(guarded.length).toBeGreaterThan(0);
    for (const route of guarded) {
      const resource = route.access?.kind === 'permission' ? route.access.resource : 'ADMIN';
      for (const role of ['Users', 'Administrators', 'Workers', 'Guests']) {
        const response = await send(t, route, await withRoles(`probe-${role}`, [role]));
        const label = `${role} on ${route.method} ${route.path} (${resource})`;
        if (DEFAULT_PERMISSIONS[resource].includes(role)) {
          expect([401, 403], label).not.toContain(response.status);
        } else {
          expect(response.status, label).toBe(403);
          expectProblem(response, 403, 'FORBIDDEN');
        }
      }
    }
  });

  it('accepts roles from a nested claim path when configured (Keycloak style)', async () => {
    const keycloak = await createTestApp({ env: { AUTH_JWT_ROLES_CLAIM: 'realm_access.roles' } });
    try {
      const nested = await bearer({ sub: 'kc-user', realm_access: { roles: ['Administrators'] } });
      await request(keycloak.server).get(keycloak.path('/admin/permissions')).set(nested).expect(200);
      const flat = await withRoles('kc-user', ['Administrators']);
      await request(keycloak.server).get(keycloak.path('/admin/permissions')).set(flat).expect(403);
    } finally {
      await keycloak.close();
    }
  });

  it('checks the audience when one is configured', async () => {
    const withAudience = await createTestApp({ env: { AUTH_JWT_AUDIENCE: 'ghibli-gateway' } });
    try {
      const claims = { sub: 'svc', roles: ['Administrators'] };
      const right = await bearer(claims, { audience: 'ghibli-gateway' });
      const wrong = await bearer(claims, { audience: 'someone-else' });
      await request(withAudience.server).get(withAudience.path('/admin/permissions')).set(right).expect(200);
      const refused = await request(withAudience.server).get(withAudience.path('/admin/permissions')).set(wrong);
      expectProblem(refused, 401, 'UNAUTHENTICATED');
    } finally {
      await withAudience.close();
    }
  });

  describe('API keys', () => {
    it('are created by an admin, shown once, usable, listed without secrets and revocable', async () => {
      const created = await request(t.server)
        .post(t.path('/admin/api-keys'))
        .set(asAdmin())
        .send({ principal: 'billing', roles: ['Administrators'], description: 'billing integration' })
        .expect(201);
      const key = created.body.key as string;
      expect(key).toMatch(/^gw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);

      await request(t.server).get(t.path('/admin/permissions')).set({ 'X-API-Key': key }).expect(200);

      // lastUsedAt is recorded after the answer, off the request's path: poll for it.
      const listEntry = async () => {
        const listed = await request(t.server).get(t.path('/admin/api-keys')).set(asAdmin()).expect(200);
        return { listed, entry: listed.body.find((item: { id: number }) => item.id === created.body.id) };
      };
      let { listed, entry } = await listEntry();
      for (let attempt = 0; entry.lastUsedAt === null && attempt < 50; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ({ listed, entry } = await listEntry());
      }
      expect(entry).toMatchObject({ principal: 'billing', createdBy: 'admin', revokedAt: null });
      expect(entry.lastUsedAt).not.toBeNull();
      expect(JSON.stringify(listed.body)).not.toContain(key.slice(16));

      const [row] = await t.dataSource.query('SELECT secret_hash FROM api_keys WHERE id = ?', [created.body.id]);
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.secret_hash).not.toContain(key.slice(16));

      await request(t.server).delete(t.path(`/admin/api-keys/${created.body.id}`)).set(asAdmin()).expect(204);
      const afterRevoke = await request(t.server).get(t.path('/admin/permissions')).set({ 'X-API-Key': key });
      expectProblem(afterRevoke, 401, 'UNAUTHENTICATED');
    });

    it('stop working once expired, with the same 401 as an unknown key', async () => {
      const created = await request(t.server)
        .post(t.path('/admin/api-keys'))
        .set(asAdmin())
        .send({ principal: 'short-lived', roles: ['Administrators'], expiresAt: new Date(Date.now() - 1000).toISOString() })
        .expect(201);
      const response = await request(t.server).get(t.path('/admin/permissions')).set({ 'X-API-Key': created.body.key });
      expectProblem(response, 401, 'UNAUTHENTICATED');
    });

    it('take an expiry only as an ISO 8601 instant with an offset that exists', async () => {
      for (const expiresAt of ['2027-02-30T00:00:00Z', '2027-W01', '20270101T000000Z', '2027-01-01T00:00:00', '2027-01-01T24:00:00Z']) {
        const refused = await request(t.server).post(t.path('/admin/api-keys')).set(asAdmin()).send({ principal: 'dated', roles: ['Users'], expiresAt });
        expectProblem(refused, 400, 'VALIDATION_FAILED');
        expect(refused.body.errors).toEqual([{ field: 'expiresAt', message: expect.stringContaining('ISO 8601') }]);
      }
      const created = await request(t.server)
        .post(t.path('/admin/api-keys'))
        .set(asAdmin())
        .send({ principal: 'dated', roles: ['Users'], expiresAt: '2027-01-01T01:00:00+01:00', description: 'x'.repeat(255) })
        .expect(201);
      expect(created.body.expiresAt).toBe('2027-01-01T00:00:00.000Z');
    });

    it('refuse a wrong secret behind a real prefix', async () => {
      const created = await request(t.server)
        .post(t.path('/admin/api-keys'))
        .set(asAdmin())
        .send({ principal: 'tamper', roles: ['Administrators'] })
        .expect(201);
      const tampered = `${created.body.key.slice(0, 16)}${'B'.repeat(43)}`;
      const response = await request(t.server).get(t.path('/admin/permissions')).set({ 'X-API-Key': tampered });
      expectProblem(response, 401, 'UNAUTHENTICATED');
    });
  });

  describe('local users (Basic)', () => {
    it('authenticate with the right password, and stop when disabled', async () => {
      const carol = await createUser(t, 'carol', ['Administrators']);
      await request(t.server).get(t.path('/admin/users')).set(carol).expect(200);
      await request(t.server).patch(t.path('/admin/users/carol')).set(asAdmin()).send({ enabled: false }).expect(200);
      expectProblem(await request(t.server).get(t.path('/admin/users')).set(carol), 401, 'UNAUTHENTICATED');
    });

    it('can change password and roles through the admin API', async () => {
      await request(t.server)
        .post(t.path('/admin/users'))
        .set(asAdmin())
        .send({ name: 'dave', password: 'first-password-1', roles: ['Users'] })
        .expect(201);
      await request(t.server).get(t.path('/admin/users')).set(basic('dave', 'first-password-1')).expect(403);
      await request(t.server)
        .patch(t.path('/admin/users/dave'))
        .set(asAdmin())
        .send({ password: 'second-password-2', roles: ['Administrators'] })
        .expect(200);
      expectProblem(
        await request(t.server).get(t.path('/admin/users')).set(basic('dave', 'first-password-1')),
        401,
        'UNAUTHENTICATED',
      );
      await request(t.server).get(t.path('/admin/users')).set(basic('dave', 'second-password-2')).expect(200);
    });

    it('never stores or returns the password', async () => {
      const listed = await request(t.server).get(t.path('/admin/users')).set(asAdmin()).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(TEST_ADMIN_PASSWORD);
      expect(JSON.stringify(listed.body)).not.toMatch(/scrypt|password/i);
    });

    it('refuses a duplicate name with 409 and invalid input with 400 naming the field', async () => {
      const duplicate = await request(t.server)
        .post(t.path('/admin/users'))
        .set(asAdmin())
        .send({ name: 'admin', password: 'another-password', roles: [] });
      expectProblem(duplicate, 409, 'CONFLICT');
      const invalid = await request(t.server)
        .post(t.path('/admin/users'))
        .set(asAdmin())
        .send({ name: 'bad name!', password: 'short', roles: ['ok'], extra: true });
      expectProblem(invalid, 400, 'VALIDATION_FAILED');
      expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'extra',
        'name',
        'password',
      ]);
    });
  });

  describe('the permission map', () => {
    it('starts with the documented defaults', async () => {
      const response = await request(t.server).get(t.path('/admin/permissions')).set(asAdmin()).expect(200);
      expect(response.body).toEqual(DEFAULT_PERMISSIONS);
    });

    it('can replace one resource\'s roles, which takes effect at once', async () => {
      const auditor = await withRoles('auditor', ['Auditors']);
      await request(t.server).get(t.path('/admin/api-keys')).set(auditor).expect(403);
      await request(t.server)
        .put(t.path('/admin/permissions/ADMIN'))
        .set(asAdmin())
        .send({ roles: ['Administrators', 'Auditors'] })
        .expect(200);
      await request(t.server).get(t.path('/admin/api-keys')).set(auditor).expect(200);
      await request(t.server).put(t.path('/admin/permissions/ADMIN')).set(asAdmin()).send({ roles: ['Administrators'] }).expect(200);
    });

    it('lets an Integrations key submit and follow its own jobs, and nothing else', async () => {
      await putContract(t, 'integration', contractBody());
      const created = await request(t.server).post(t.path('/admin/api-keys')).set(asAdmin()).send({ principal: 'billing', roles: ['Integrations'] }).expect(201);
      const key = { 'X-API-Key': created.body.key };
      const job = await submit(t, key, { contractName: 'integration', actionName: 'import', actionVariables: { date: '2026-12-02' }, extIPID: 'inv-1' }).expect(201);
      await submit(t, key, { contractName: 'integration', actionName: 'import', actionVariables: { date: '2026-12-02' }, extIPID: 'inv-1' }).expect(409);
      await request(t.server).get(t.path(`/job-manager/jobs/${job.body.id}`)).set(key).expect(200);
      const others = await submit(t, asAdmin(), { contractName: 'integration', actionName: 'import', actionVariables: { date: '2026-12-02' } }).expect(201);
      expectProblem(await request(t.server).get(t.path(`/job-manager/jobs/${others.body.id}`)).set(key), 404, 'JOB_NOT_FOUND');
      expectProblem(await request(t.server).put(t.path('/contracts/mine')).set(key).send(contractBody()), 403, 'FORBIDDEN');
      expectProblem(await request(t.server).post(t.path('/job-manager/workers/claim')).set(key).send({ workerId: 'w', queues: ['imports'] }), 403, 'FORBIDDEN');
      expectProblem(await request(t.server).get(t.path('/admin/api-keys')).set(key), 403, 'FORBIDDEN');
    });

    it('refuses an unknown resource', async () => {
      const response = await request(t.server).put(t.path('/admin/permissions/NOPE')).set(asAdmin()).send({ roles: [] });
      expectProblem(response, 404, 'NOT_FOUND');
    });

    it('applies AUTH_PERMISSIONS over the defaults at start-up', async () => {
      const configured = await createTestApp({ env: { AUTH_PERMISSIONS: '{"SPENGCEMANJOBS":["Auditors"]}' } });
      try {
        const response = await request(configured.server).get(configured.path('/admin/permissions')).set(asAdmin());
        expect(response.body.SPENGCEMANJOBS).toEqual(['Auditors']);
        expect(response.body.WORKFLOW).toEqual(DEFAULT_PERMISSIONS.WORKFLOW);
      } finally {
        await configured.close();
      }
    });
  });

  describe('GET /auth/me', () => {
    it('tells each caller its principal, roles and the resources the map grants', async () => {
      const admin = await request(t.server).get(t.path('/auth/me')).set(asAdmin()).expect(200);
      expect(admin.body).toEqual({
        principal: 'admin',
        via: 'basic',
        roles: ['Administrators'],
        permissions: ['WORKFLOW', 'SPENGCEMANJOBS', 'CONTRACTS', 'WORKER', 'ADMIN', 'JOBS_ALL', 'METRICS', 'QUEUES', 'WEBHOOKS'],
      });
      const user = await request(t.server).get(t.path('/auth/me')).set(await withRoles('ursula', ['Users'])).expect(200);
      expect(user.body).toEqual({ principal: 'ursula', via: 'jwt', roles: ['Users'], permissions: ['SPENGCEMANJOBS', 'JOBS_ALL'] });
      const guest = await request(t.server).get(t.path('/auth/me')).set(await withRoles('gus', ['Guests'])).expect(200);
      expect(guest.body.permissions).toEqual([]);
    });

    it('names API-key callers by the key principal', async () => {
      const created = await request(t.server)
        .post(t.path('/admin/api-keys'))
        .set(asAdmin())
        .send({ principal: 'console-probe', roles: ['Workers'] })
        .expect(201);
      const me = await request(t.server).get(t.path('/auth/me')).set({ 'X-API-Key': created.body.key }).expect(200);
      expect(me.body).toEqual({ principal: 'console-probe', via: 'api-key', roles: ['Workers'], permissions: ['WORKER'] });
    });

    it('follows a change of the permission map at once', async () => {
      const auditor = await withRoles('auditor', ['Auditors']);
      await request(t.server).put(t.path('/admin/permissions/WORKFLOW')).set(asAdmin()).send({ roles: ['Administrators', 'Auditors'] });
      try {
        const me = await request(t.server).get(t.path('/auth/me')).set(auditor).expect(200);
        expect(me.body.permissions).toEqual(['WORKFLOW']);
      } finally {
        await request(t.server).put(t.path('/admin/permissions/WORKFLOW')).set(asAdmin()).send({ roles: ['Administrators'] }).expect(200);
      }
    });
  });
});
