import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it, MockInstance, vi } from 'vitest';
import { PasswordHasher } from '../src/auth/users/password-hasher';
import { asAdmin, basic, createUser, Headers, withRoles } from './setup/auth';
import { createTestApp, TestApp } from './setup/create-test-app';
import { expectProblem } from './setup/problem';

const me = (t: TestApp, headers: Headers) => request(t.server).get(t.path('/auth/me')).set(headers);

function expectThrottled(response: Response, limit: 'user' | 'address') {
  expectProblem(response, 429, 'AUTH_THROTTLED');
  expect(response.body.limit).toBe(limit);
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

type Hashings = MockInstance<PasswordHasher['verify']>;

/** A started app, its admin signed in, and a spy counting its password hashings (each one is a scrypt). */
async function startApp(env: Record<string, string>) {
  const t = await createTestApp({ env });
  await me(t, asAdmin()).expect(200);
  const hashings = vi.spyOn(t.app.get(PasswordHasher), 'verify');
  return { t, hashings };
}

async function createApiKey(t: TestApp): Promise<Headers> {
  const created = await request(t.server).post(t.path('/admin/api-keys')).set(asAdmin()).send({ principal: 'svc', roles: ['Users'] });
  return { 'X-API-Key': created.body.key };
}

/** `count` wrong Basic logins at once over real sockets, each answer with its status, code and Retry-After. */
async function flood(base: string, count: number, name: (index: number) => string) {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const response = await fetch(`${base}/auth/me`, { headers: basic(name(index), 'not-the-password') });
      const body = (await response.json()) as { code?: string };
      return { status: response.status, code: body.code, retryAfter: response.headers.get('retry-after') };
    }),
  );
}

describe('failed Basic logins are throttled before any hashing', () => {
  describe('per user name', () => {
    let t: TestApp;
    let hashings: Hashings;

    beforeAll(async () => {
      ({ t, hashings } = await startApp({ AUTH_FAILED_LOGINS_PER_USER: '3', AUTH_FAILED_LOGINS_PER_ADDRESS: '1000' }));
      await createUser(t, 'alice', ['Users'], 'alice-password-123');
      await createUser(t, 'bob', ['Users'], 'bob-password-123');
    });

    afterAll(async () => {
      await t.close();
    });

    it('answers 429 AUTH_THROTTLED with Retry-After after N failures for a name, without hashing again', async () => {
      hashings.mockClear();
      for (let i = 0; i < 3; i++) expectProblem(await me(t, basic('alice', `guess-${i}`)), 401, 'UNAUTHENTICATED');
      expect(hashings).toHaveBeenCalledTimes(3);
      expectThrottled(await me(t, basic('alice', 'guess-3')), 'user');
      expectThrottled(await me(t, basic('alice', 'alice-password-123')), 'user');
      expect(hashings).toHaveBeenCalledTimes(3);
    });

    it('throttles unknown names alike, so the answer does not tell which names exist', async () => {
      hashings.mockClear();
      for (let i = 0; i < 3; i++) expectProblem(await me(t, basic('mallory', `guess-${i}`)), 401, 'UNAUTHENTICATED');
      expectThrottled(await me(t, basic('mallory', 'guess-3')), 'user');
      expect(hashings).toHaveBeenCalledTimes(3);
    });

    it('still lets another user sign in', async () => {
      expect((await me(t, basic('bob', 'bob-password-123')).expect(200)).body.principal).toBe('bob');
    });

    it('refuses a name no user can have (over the column, control characters) without a lookup or a hashing', async () => {
      hashings.mockClear();
      for (const name of ['a'.repeat(129), 'ali\u0000ce']) expectProblem(await me(t, basic(name, 'whatever')), 401, 'UNAUTHENTICATED');
      expect(hashings).not.toHaveBeenCalled();
    });

    it('hashes the same credentials arriving together once', async () => {
      const carol = await createUser(t, 'carol', ['Users']);
      hashings.mockClear();
      const base = await t.listen();
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${base}/auth/me`, { headers: carol })));
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
      expect(hashings).toHaveBeenCalledTimes(1);
    });
  });

  describe('per client address', () => {
    let t: TestApp;
    let hashings: Hashings;

    beforeAll(async () => {
      ({ t, hashings } = await startApp({ AUTH_FAILED_LOGINS_PER_USER: '1000', AUTH_FAILED_LOGINS_PER_ADDRESS: '4' }));
    });

    afterAll(async () => {
      await t.close();
    });

    it('limits failures over different names from one address, and still answers credentials it verified', async () => {
      hashings.mockClear();
      for (let i = 0; i < 4; i++) expectProblem(await me(t, basic(`name-${i}`, 'guess')), 401, 'UNAUTHENTICATED');
      expectThrottled(await me(t, basic('name-4', 'guess')), 'address');
      expect(hashings).toHaveBeenCalledTimes(4);
      await me(t, asAdmin()).expect(200);
    });
  });
});

describe('the client address behind a proxy (TRUST_PROXY)', () => {
  const fromClient = (t: TestApp, client: string, name: string) => me(t, basic(name, 'guess')).set('X-Forwarded-For', client);

  it('counts failures per forwarded client when the proxy (here 127.0.0.1) is trusted', async () => {
    const { t } = await startApp({ AUTH_FAILED_LOGINS_PER_USER: '1000', AUTH_FAILED_LOGINS_PER_ADDRESS: '2', TRUST_PROXY: '127.0.0.1,::1' });
    try {
      for (let i = 0; i < 2; i++) expectProblem(await fromClient(t, '203.0.113.7', `a-${i}`), 401, 'UNAUTHENTICATED');
      expectThrottled(await fromClient(t, '203.0.113.7', 'a-2'), 'address');
      expectProblem(await fromClient(t, '203.0.113.8', 'b-0'), 401, 'UNAUTHENTICATED');
    } finally {
      await t.close();
    }
  });

  it('ignores X-Forwarded-For by default: every client seen through the proxy shares its address budget', async () => {
    const { t } = await startApp({ AUTH_FAILED_LOGINS_PER_USER: '1000', AUTH_FAILED_LOGINS_PER_ADDRESS: '2' });
    try {
      for (let i = 0; i < 2; i++) expectProblem(await fromClient(t, `203.0.113.${i}`, `c-${i}`), 401, 'UNAUTHENTICATED');
      expectThrottled(await fromClient(t, '203.0.113.9', 'c-2'), 'address');
    } finally {
      await t.close();
    }
  });
});

describe('a flood of bad Basic logins leaves API-key and JWT callers answered', () => {
  let t: TestApp;
  let base: string;
  let apiKey: Headers;
  let jwt: Headers;

  /** The flood, with one API-key and one JWT request sent while it is under way. */
  async function floodWithOthers(hashings: Hashings) {
    hashings.mockClear();
    const bad = flood(base, 40, (index) => `guess-${index}`);
    const others = Promise.all([me(t, apiKey), me(t, jwt)]);
    return { answers: await bad, others: await others };
  }

  beforeAll(async () => {
    jwt = await withRoles('sso-user', ['Users']);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the default address budget refuses all beyond 30 failures before hashing; API-key and JWT callers are answered', async () => {
    // Empty values read as unset: the documented defaults.
    const started = await startApp({ AUTH_FAILED_LOGINS_PER_USER: '', AUTH_FAILED_LOGINS_PER_ADDRESS: '' });
    t = started.t;
    base = await t.listen();
    apiKey = await createApiKey(t);

    const { answers, others } = await floodWithOthers(started.hashings);
    expect(others.map((answer) => answer.status)).toEqual([200, 200]);
    const throttled = answers.filter((answer) => answer.status === 429);
    const refusedRightly = (answer: (typeof answers)[number]) =>
      answer.status === 401 || (answer.code === 'AUTH_THROTTLED' && Number(answer.retryAfter) >= 1);
    expect(answers.every(refusedRightly)).toBe(true);
    expect(throttled.length).toBeGreaterThanOrEqual(40 - 30 - 1);
    expect(started.hashings.mock.calls.length).toBeLessThanOrEqual(31);
  });

  it('with the throttle off, the bounded hashing slots refuse the overflow with 503 AUTH_BUSY and Retry-After', async () => {
    await t.close();
    const started = await startApp({ AUTH_SCRYPT_CONCURRENCY: '1', AUTH_SCRYPT_QUEUE: '2' });
    t = started.t;
    base = await t.listen();
    apiKey = await createApiKey(t);

    const { answers, others } = await floodWithOthers(started.hashings);
    expect(others.map((answer) => answer.status)).toEqual([200, 200]);
    const busy = answers.filter((answer) => answer.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((answer) => answer.code === 'AUTH_BUSY' && answer.retryAfter === '1')).toBe(true);
    expect(answers.every((answer) => answer.status === 401 || answer.status === 503)).toBe(true);
  });
});
