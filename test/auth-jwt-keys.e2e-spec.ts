import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, JWK, SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestApp } from './setup/create-test-app';
import { expectProblem } from './setup/problem';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

async function token(key: SigningKey | Uint8Array, alg: string, kid?: string, claims: Record<string, unknown> = {}) {
  return new SignJWT({ roles: ['Users'], ...claims })
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setSubject('jwks-user')
    .setExpirationTime('5m')
    .sign(key);
}

const jobsAs = (t: TestApp, jwt: string) => request(t.server).get(t.path('/job-manager/jobs')).set('Authorization', `Bearer ${jwt}`);

describe('JWT signed by keys from a JWKS endpoint (RS256, ES256)', () => {
  let t: TestApp;
  let jwks: Server;
  let served: { keys: JWK[] };
  let fetches = 0;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256', { extractable: true });
    served = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
    jwks = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/certs`;
    t = await createTestApp({ env: { AUTH_JWT_SECRET: '', AUTH_JWKS_URL: url } });
  });

  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  it('accepts tokens signed by any published key, fetching the key set once for both', async () => {
    await jobsAs(t, await token(rsa.privateKey, 'RS256', 'rsa-1')).expect(200);
    await jobsAs(t, await token(ec.privateKey, 'ES256', 'ec-1')).expect(200);
    expect(fetches).toBe(1);
  });

  it('refuses a token whose kid is not published, or whose signature is by another key', async () => {
    const stranger = await generateKeyPair('RS256');
    expectProblem(await jobsAs(t, await token(stranger.privateKey, 'RS256', 'rsa-9')), 401, 'UNAUTHENTICATED');
    expectProblem(await jobsAs(t, await token(stranger.privateKey, 'RS256', 'rsa-1')), 401, 'UNAUTHENTICATED');
  });

  it('refuses HS256 signed with the public key as the shared secret (algorithm confusion)', async () => {
    const publicPem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    expectProblem(await jobsAs(t, await token(publicPem, 'HS256', 'rsa-1')), 401, 'UNAUTHENTICATED');
  });
});

describe('JWT with a configured public key', () => {
  let t: TestApp;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    ec = await generateKeyPair('ES256', { extractable: true });
    const pem = (await exportSPKI(ec.publicKey)).replace(/\n/g, '\\n');
    t = await createTestApp({ env: { AUTH_JWT_SECRET: '', AUTH_JWT_PUBLIC_KEY: pem } });
  });

  afterAll(async () => {
    await t.close();
  });

  it('accepts ES256 by that key, with roles from the token', async () => {
    const response = await jobsAs(t, await token(ec.privateKey, 'ES256')).expect(200);
    expect(response.body.jobs).toEqual([]);
    expectProblem(await jobsAs(t, await token(ec.privateKey, 'ES256', undefined, { roles: ['Nobody'] })), 403, 'FORBIDDEN');
  });

  it('refuses RS256 and HS256 tokens, whatever they are signed with', async () => {
    const rsa = await generateKeyPair('RS256');
    expectProblem(await jobsAs(t, await token(rsa.privateKey, 'RS256')), 401, 'UNAUTHENTICATED');
    const publicPem = new TextEncoder().encode(await exportSPKI(ec.publicKey));
    expectProblem(await jobsAs(t, await token(publicPem, 'HS256')), 401, 'UNAUTHENTICATED');
  });
});

describe('JWT when the JWKS endpoint is unreachable', () => {
  let t: TestApp;

  beforeAll(async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    t = await createTestApp({ env: { AUTH_JWT_SECRET: '', AUTH_JWKS_URL: `http://127.0.0.1:${port}/certs` } });
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 401, not 500, and keeps serving other credentials', async () => {
    const rsa = await generateKeyPair('RS256');
    expectProblem(await jobsAs(t, await token(rsa.privateKey, 'RS256', 'rsa-1')), 401, 'UNAUTHENTICATED');
    await request(t.server).get(t.path('/health/ready')).expect(200);
  });
});
