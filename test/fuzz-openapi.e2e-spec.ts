import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionsService } from '../src/auth/permissions/permissions.service';
import { DEFAULT_PERMISSIONS, RESOURCES, type Resource } from '../src/config/resources';
import { createUser, withRoles, type Headers } from './setup/auth';
import { putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { submit } from './setup/jobs';
import { ODD_STRINGS, prng, SchemaSampler, type Random, type Schema } from './setup/schema-samples';
import { claim } from './setup/workers';

/** Reproduce a failing run with FUZZ_SEED=<the seed printed below>; FUZZ_CASES sets the requests per operation. */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CASES = Number(process.env.FUZZ_CASES ?? 80);

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required?: boolean;
  schema: Schema;
}
interface Operation {
  method: string;
  path: string;
  tags: string[];
  parameters: Parameter[];
  body?: Schema;
}

const document = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { tags?: string[]; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};
const OPERATIONS: Operation[] = Object.entries(document.paths).flatMap(([path, operations]) =>
  Object.entries(operations).map(([method, operation]) => ({
    method,
    path,
    tags: operation.tags ?? [],
    parameters: operation.parameters ?? [],
    body: operation.requestBody?.content['application/json']?.schema,
  })),
);

/** What a live gateway holds, so that valid-ish requests get past the lookups to the code behind them. */
interface Fixtures {
  jobId: string;
  leaseToken: string;
}

function hintsFor(fixtures: Fixtures, random: Random): Record<string, () => unknown> {
  return {
    contract: () => random.pick(['acme', 'fuzz-contract']),
    contractName: () => 'acme',
    action: () => random.pick(['import', 'fuzz-action']),
    actionName: () => 'import',
    actionVariables: () => ({ date: '2026-11-23', dryRun: random.chance(0.5) }),
    id: () => fixtures.jobId,
    leaseToken: () => fixtures.leaseToken,
    queues: () => ['imports'],
    queue: () => 'imports',
    resource: () => random.pick(RESOURCES),
    name: () => random.pick(['fuzz-user', 'import', `fuzz-${random.int(1000)}`]),
    roles: () => [random.pick(['Users', 'Administrators', 'Workers'])],
    waitSeconds: () => 0,
    // What the document cannot say: digits-only strings, a number or null, the shape of a declaration.
    revision: () => String(1 + random.int(9)),
    timeoutSeconds: () => random.pick([null, 60]),
    variables: () => [{ name: 'date', type: 'string', required: random.chance(0.5) }],
  };
}

function encodePathValue(value: unknown): string {
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // encodeURIComponent throws on a lone surrogate; Buffer turns it into U+FFFD.
  return encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));
}

/** One request of an operation: every part valid-ish, or one part of it mutated. */
function buildCase(operation: Operation, sampler: SchemaSampler, random: Random) {
  const parts = [...new Set(operation.parameters.map((parameter) => parameter.in)), ...(operation.body ? ['body', 'body'] : [])];
  const mutate = parts.length > 0 && random.chance(0.6) ? random.pick(parts) : undefined;
  let path = operation.path;
  const query: string[] = [];
  for (const parameter of operation.parameters) {
    const value =
      mutate === parameter.in && random.chance(0.5) ? random.pick([...ODD_STRINGS, 1e308, -1, 'x'.repeat(300)]) : sampler.valid(parameter.schema, parameter.name);
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodePathValue(value));
    else if (parameter.required || random.chance(0.4)) query.push(`${parameter.name}=${encodePathValue(value)}`);
  }
  if (mutate === 'query') {
    const name = operation.parameters.find((parameter) => parameter.in === 'query')?.name ?? 'unknown';
    query.push(random.pick([`${name}=a&${name}=b`, `${name}[x]=1`, `unknown=1`, `${name}=%zz`, `${name}`]));
  }
  const body = operation.body ? (mutate === 'body' ? sampler.mutated(operation.body) : sampler.valid(operation.body)) : undefined;
  return { url: `${path}${query.length ? `?${query.join('&')}` : ''}`, body };
}

function problemFailure(response: request.Response): string | undefined {
  if (response.status >= 500) return `answered ${response.status}: ${response.text.slice(0, 300)}`;
  if (response.status < 400) return undefined;
  // A duplicate submission answers 409 with the existing job rather than a problem (docs/idempotency.md).
  if (response.status === 409 && response.headers['idempotent-replayed'] === 'true') return undefined;
  if (!/^application\/problem\+json/.test(String(response.headers['content-type']))) return `${response.status} is not problem+json`;
  if (response.body.status !== response.status || typeof response.body.code !== 'string') return `${response.status}: ${response.text.slice(0, 300)}`;
  return undefined;
}

describe('fuzzing every operation of docs/openapi.json with schema-driven requests', () => {
  let t: TestApp;
  let admin: Headers;
  let worker: Headers;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await withRoles('fuzz-admin', ['Administrators']);
    worker = await withRoles('fuzz-worker', ['Workers']);
    await createUser(t, 'fuzz-user', ['Users']);
    console.log(`openapi fuzz seed ${SEED}: ${CASES} cases per operation over ${OPERATIONS.length} operations (FUZZ_SEED=${SEED} replays it)`);
  });

  afterAll(async () => {
    await t.close();
  });

  async function freshFixtures(label: string): Promise<Fixtures> {
    await putContract(t, 'acme');
    const submitted = await submit(t, admin, { contractName: 'acme', actionName: 'import', actionVariables: { date: '2026-11-23' }, extIPID: label });
    const [claimed] = await claim(t, worker, { queues: ['imports'] });
    return { jobId: claimed?.id ?? submitted.body.id, leaseToken: claimed?.lease.token ?? '00000000-0000-4000-8000-000000000000' };
  }

  it('never answers 5xx, and answers every 4xx as problem details with a code', async () => {
    const random = prng(SEED);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const [index, operation] of OPERATIONS.entries()) {
      const fixtures = await freshFixtures(`fuzz-fixture-${index}`);
      const sampler = new SchemaSampler(document.components.schemas, random, hintsFor(fixtures, random));
      const callers = operation.tags.includes('workers') ? [admin, worker] : [admin];
      for (let i = 0; i < CASES; i++) {
        const { url, body } = buildCase(operation, sampler, random);
        const headers = callers[i % callers.length];
        let call = request(t.server)[operation.method as 'get'](t.path(url)).set(headers);
        if (body !== undefined) call = call.set('Content-Type', 'application/json').send(JSON.stringify(body) ?? '');
        const response = await call;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const failure = problemFailure(response);
        if (failure) failures.push(`${operation.method.toUpperCase()} ${url.slice(0, 200)} ${JSON.stringify(body)?.slice(0, 300)} → ${failure}`);
        const resource = decodeURIComponent(url.split('?')[0].split('/')[3] ?? '') as Resource;
        if (operation.path === '/admin/permissions/{resource}' && RESOURCES.includes(resource)) {
          // Keeps the fuzzing admin allowed: a valid PUT may hand a resource to other roles.
          await t.app.get(PermissionsService).setRoles(resource, DEFAULT_PERMISSIONS[resource]);
        }
      }
    }
    console.log(`openapi fuzz seed ${SEED}: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    expect(failures.slice(0, 20), `FUZZ_SEED=${SEED} replays this run`).toEqual([]);
    // Valid-ish requests must reach the handlers, or only the validators are being fuzzed.
    expect([...statuses].filter(([status]) => status < 300).reduce((sum, [, n]) => sum + n, 0)).toBeGreaterThan(OPERATIONS.length * CASES * 0.1);
  }, Math.max(120_000, CASES * 1_500));
});
