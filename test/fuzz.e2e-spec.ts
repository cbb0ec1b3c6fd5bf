import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, withRoles } from './setup/auth';
import { putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { listRoutes, RouteInfo } from './setup/routes';
import { seededRandom } from './setup/seeded-random';

/** Reproduce a failing run with FUZZ_SEED=<the seed printed below>. */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 5000);
const IN_FLIGHT = 8;

/** Seeded choices: the whole run follows from the seed. */
function prng(seed: number) {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}
type Random = ReturnType<typeof prng>;

const NASTY_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  '9007199254740993',
  'null',
  'true',
  'NaN',
  '[]',
  '{}',
  '%00',
  '%',
  '%zz',
  '../../etc/passwd',
  '\u0000',
  '\u202e\u0301',
  '😀'.repeat(40),
  "' OR 1=1 --",
  '"; DROP TABLE jobs; --',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'x'.repeat(5000),
  '2026-02-30T25:61:00Z',
  '+id',
  '-createdAt,+nope',
  'SUBMITTED',
  'acme',
];

// Node refuses to send control and non-Latin-1 characters in a header, so only these go there.
const HEADER_SAFE_STRINGS = NASTY_STRINGS.filter((value) => [...value].every((char) => char >= ' ' && char <= '~'));

const QUERY_KEYS = [
  'id', 'status', 'queue', 'contract', 'extIPID', 'submittedBy', 'maxItems', 'sort', 'cursor', 'includeTotal',
  'createdAfter', 'createdBefore', 'updatedAfter', 'updatedBefore', 'type', 'enabled', 'actor', '__proto__', 'a[b]',
];

function randomValue(random: Random, depth = 0): unknown {
  switch (random.int(depth > 3 ? 6 : 9)) {
    case 0: return random.pick(NASTY_STRINGS);
    case 1: return random.int(2) ? random.int(1e6) - 5e5 : random.next() * 1e308;
    case 2: return random.int(2) === 0;
    case 3: return null;
    case 4: return random.pick(['SUBMITTED', 'imports', 'acme', 'import', '2026-11-23']);
    case 5: return '';
    case 6: return Array.from({ length: random.int(5) }, () => randomValue(random, depth + 1));
    case 7:
    case 8: {
      const value: Record<string, unknown> = {};
      for (let i = random.int(6); i > 0; i--) {
        const key = random.pick([...QUERY_KEYS, 'date', 'name', 'roles']);
        Object.defineProperty(value, key, { value: randomValue(random, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return value;
    }
  }
  return undefined;
}

/** A valid body for the routes that take one, so that mutations of it probe the validators. */
const PLAUSIBLE_BODIES: [RegExp, (random: Random) => Record<string, unknown>][] = [
  [/^\/job-manager\/jobs$/, (random) => ({ contractName: 'acme', actionName: 'import', actionVariables: { date: '2026-11-23' }, extIPID: `fuzz-${random.int(100)}` })],
  [/\/workers\/claim$/, () => ({ workerId: 'fuzz', queues: ['imports'], maxJobs: 2, leaseSeconds: 30 })],
  [/\/(heartbeat|complete|fail|logs)$/, () => ({ leaseToken: '00000000-0000-4000-8000-000000000000', progress: 5, error: 'x', lines: [{ message: 'x' }] })],
  [/^\/contracts\/:name$/, () => ({ type: 'INPUT', actor: 'ACME', description: 'fuzz', actions: [] })],
  [/\/actions\/:action$/, () => ({ queue: 'imports', workflowTemplate: { id: '1', name: 'w', revision: '1' }, variables: [] })],
  [/\/api-keys$/, () => ({ principal: 'fuzz', roles: ['Users'] })],
  [/\/users(\/:name)?$/, () => ({ name: 'fuzz', password: 'fuzz-password-123', roles: ['Users'] })],
  [/\/permissions\/:resource$/, () => ({ roles: ['Administrators'] })],
  [/^\/job-manager\/jobs\/:id$/, () => ({ name: 'n', description: 'd', tags: ['t'] })],
];

/** Bodies that are close to valid ones, plus outright garbage. */
function randomBody(random: Random, route: RouteInfo): { raw?: string; json?: unknown } {
  const plausible = (PLAUSIBLE_BODIES.find(([pattern]) => pattern.test(route.template))?.[1] ?? (() => ({})))(random);
  switch (random.int(8)) {
    case 0: return { raw: random.pick(['{', '{"a":', 'null', '[]', '"x"', '1', '{"__proto__":{"admin":true}}', '\u0000', 'a=b', '']) };
    case 1: return { raw: `${'['.repeat(5000)}${']'.repeat(5000)}` };
    case 2: return { raw: `{"a":[${'1,'.repeat(20000)}1]}` };
    case 3: return { json: randomValue(random) };
    case 4: return { json: plausible };
    default: {
      const body = { ...plausible };
      const keys = Object.keys(plausible).length ? Object.keys(plausible) : QUERY_KEYS;
      for (let i = 1 + random.int(3); i > 0; i--) {
        // Own properties, even for '__proto__': an assignment would set the prototype instead.
        const key = random.int(5) === 0 ? random.pick(QUERY_KEYS) : random.pick(keys);
        Object.defineProperty(body, key, { value: randomValue(random), enumerable: true, writable: true, configurable: true });
      }
      return { json: body };
    }
  }
}

function randomPath(random: Random, route: RouteInfo): string {
  return route.template.replace(/:[A-Za-z]+/g, () =>
    encodeURIComponent(String(random.int(3) === 0 ? random.int(100) : random.pick(NASTY_STRINGS))).replace(/%25/g, random.int(2) ? '%' : '%25'),
  );
}

function randomQuery(random: Random): string {
  const parts: string[] = [];
  for (let i = random.int(5); i > 0; i--) {
    const key = random.pick(QUERY_KEYS);
    const picked = randomValue(random);
    const value = typeof picked === 'object' && picked !== null ? JSON.stringify(picked) : String(picked);
    parts.push(`${encodeURIComponent(key)}=${random.int(5) === 0 ? value : encodeURIComponent(value)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The one 4xx that is not a problem: a duplicate submission answers 409 with the existing job (API.md). */
function isDuplicateSubmission(route: RouteInfo, method: string, response: request.Response): boolean {
  return route.template === '/job-manager/jobs' && method === 'post' && response.status === 409 && !/problem/.test(String(response.headers['content-type']));
}

describe('fuzzing every route with random and malformed requests', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  let credentials: Record<string, string>[];

  beforeAll(async () => {
    t = await createTestApp();
    await putContract(t, 'acme');
    routes = listRoutes(t);
    credentials = [
      asAdmin(),
      await withRoles('fuzz-user', ['Users']),
      await withRoles('fuzz-worker', ['Workers']),
      {},
      { Authorization: 'Bearer not.a.jwt' },
      { Authorization: 'Basic !!!not-base64' },
      { Authorization: `Basic ${Buffer.from('admin').toString('base64')}` },
      { 'X-API-Key': 'gw_0123456789ab_nope' },
      { 'X-API-Key': '' },
    ];
    console.log(`fuzz seed ${SEED}: ${REQUESTS} requests over ${routes.length} routes (FUZZ_SEED=${SEED} replays it)`);
  });

  afterAll(async () => {
    await t.close();
  });

  it('never answers 5xx, always answers errors as problem details, and stays healthy', async () => {
    const random = prng(SEED);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;

    const one = async () => {
      const route = random.pick(routes);
      const method = (random.int(10) === 0 ? random.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) : route.method).toLowerCase();
      const url = t.path(randomPath(random, route)) + randomQuery(random);
      // Half the requests as the admin, so most of them get past the door to the validators and handlers.
      const headers = random.int(2) === 0 ? asAdmin() : random.pick(credentials);
      let call = request(t.server)[method as 'get'](url).set(headers);
      let sentBody = '';
      if (random.int(8) === 0) call = call.set('X-Correlation-Id', random.pick(HEADER_SAFE_STRINGS));
      if (method !== 'get' && method !== 'delete') {
        const body = randomBody(random, route);
        const contentType =
          random.int(6) === 0
            ? random.pick(['text/plain', 'application/xml', 'application/json; charset=latin1', 'multipart/form-data'])
            : 'application/json';
        sentBody = body.raw ?? JSON.stringify(body.json) ?? '';
        call = call.set('Content-Type', contentType).send(sentBody);
      }
      const response = await call;
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const what = `${method.toUpperCase()} ${url.slice(0, 200)} → ${response.status}`;
      if (response.status >= 500) failures.push(`${what} after sending ${sentBody.slice(0, 300)}`);
      else if (isDuplicateSubmission(route, method, response)) {
        if (response.headers['idempotent-replayed'] !== 'true' || typeof response.body.id !== 'string') failures.push(`${what}: ${response.text.slice(0, 300)}`);
      } else if (response.status >= 400) {
        if (!/^application\/problem\+json/.test(String(response.headers['content-type']))) failures.push(`${what}: not problem+json`);
        else if (response.body.status !== response.status || typeof response.body.code !== 'string') failures.push(`${what}: ${response.text.slice(0, 300)}`);
      }
    };

    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (sent < REQUESTS) {
          sent++;
          await one();
        }
      }),
    );

    console.log(`fuzz seed ${SEED}: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    expect(failures.slice(0, 20)).toEqual([]);
    // Most requests must get past the door, or the fuzzer is only testing the 401 path.
    const reachedHandlers = [...statuses].filter(([status]) => status !== 401 && status !== 403).reduce((sum, [, n]) => sum + n, 0);
    expect(reachedHandlers).toBeGreaterThan(REQUESTS / 3);
    await request(t.server).get(t.path('/health/ready')).expect(200);
    await request(t.server).get(t.path('/job-manager/jobs')).set(asAdmin()).expect(200);
  }, 180_000);
});
