import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin } from './setup/auth';
import { putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const TSC = require.resolve('typescript/bin/tsc');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const TYPESCRIPT_WORKER = `
import { GatewayWorker, NonRetryableError, type JobHandler } from 'ghibli-job-gateway-sdk/worker';
import type { components } from 'ghibli-job-gateway-sdk/api-types';

type Job = components['schemas']['JobResponseDto'];
const describeJob = (job: Job): string => job.id + ' ' + job.status;
const handler: JobHandler = async (job, { progress, log }) => {
  if (job.attempts > 3) throw new NonRetryableError('too many attempts');
  log(describeJob(job));
  progress(100);
  return { rows: 3 };
};
export const worker = new GatewayWorker({ baseUrl: 'http://127.0.0.1:8080/ghibli-rest/v2', headers: {}, workerId: 'w', queues: ['imports'], handler });
`;

const TYPESCRIPT_SUBMITTER = `
import { GatewayProblemError, GhibliClient, type Job, type SubmitResult } from 'ghibli-job-gateway-sdk/client';

const client = new GhibliClient({ baseUrl: 'http://127.0.0.1:8080/ghibli-rest/v2', auth: { apiKey: 'k' }, retry: { maxAttempts: 3 } });
export async function importDay(date: string): Promise<Job | string> {
  try {
    const result: SubmitResult = await client.submit({ contractName: 'acme-orders', actionName: 'import', actionVariables: { date }, extIPID: 'orders-' + date });
    return client.waitFor(result.job.id, { timeoutMs: 60_000, onProgress: (job) => console.log(job.progress ?? 0) });
  } catch (error) {
    if (error instanceof GatewayProblemError) return error.code + ' ' + error.errors.map((each) => each.field).join(',');
    throw error;
  }
}
`;

// A submitter in plain JavaScript: the same extIPID twice gives one job, the second call replayed.
const JAVASCRIPT_SUBMITTER = `
import { GhibliClient } from 'ghibli-job-gateway-sdk/client';

const client = new GhibliClient({ baseUrl: process.env.GATEWAY_URL, auth: { apiKey: process.env.GATEWAY_API_KEY } });
const request = { contractName: 'sdk-orders', actionName: 'import', actionVariables: { date: '2026-12-03' }, extIPID: 'sdk-submitter-1' };
const first = await client.submit(request);
const second = await client.submit(request);
console.log(JSON.stringify({ first: first.job.id, second: second.job.id, replayed: [first.replayed, second.replayed] }));
`;

// Plain JavaScript as a new project writes it: an ES module, no build step; it completes one job and stops.
const JAVASCRIPT_WORKER = `
import { GatewayWorker } from 'ghibli-job-gateway-sdk/worker';

let done;
const finished = new Promise((resolve) => (done = resolve));
const worker = new GatewayWorker({
  baseUrl: process.env.GATEWAY_URL,
  headers: { 'X-API-Key': process.env.GATEWAY_API_KEY },
  workerId: 'separate-project',
  queues: ['imports'],
  handler: async (job) => {
    setImmediate(() => done(job.id));
    return { rows: 3, from: 'a separate project' };
  },
});
worker.start();
const id = await finished;
await worker.stop();
console.log(JSON.stringify({ completed: id }));
`;

describe('the SDK package (sdk/): installed into a separate project from its tarball', () => {
  let t: TestApp;
  let project: string;
  let listening: Promise<string> | undefined;
  const gatewayUrl = () => (listening ??= t.listen());

  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'sdk-package-'));
    await run(process.execPath, [TSC, '-p', join(ROOT, 'sdk/tsconfig.json')], { cwd: ROOT });
    await run(NPM, ['pack', '--silent', '--pack-destination', work], { cwd: join(ROOT, 'sdk') });
    const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${work}`);
    project = join(work, 'my-worker');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-worker', version: '1.0.0', private: true }));
    // --offline: the package has no dependencies, so installing it needs no registry.
    await run(NPM, ['install', '--offline', '--no-audit', '--no-fund', join(work, tarball)], { cwd: project });
    t = await createTestApp();
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    if (project) rmSync(resolve(project, '..'), { recursive: true, force: true });
  });

  it('type-checks a TypeScript worker and submitter against its declarations (strict, nodenext)', async () => {
    writeFileSync(join(project, 'worker.ts'), TYPESCRIPT_WORKER);
    writeFileSync(join(project, 'submitter.ts'), TYPESCRIPT_SUBMITTER);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2023', types: ['node'], noEmit: true } }),
    );
    // The project would install @types/node itself; borrowing ours keeps the test offline.
    symlinkSync(join(ROOT, 'node_modules/@types'), join(project, 'node_modules/@types'));
    await expect(run(process.execPath, [TSC, '-p', project], { cwd: project })).resolves.toBeDefined();
  }, 60_000);

  it('refuses a handler that breaks the types, so the check above can fail', async () => {
    writeFileSync(join(project, 'broken.ts'), TYPESCRIPT_WORKER.replace("job.id + ' ' + job.status", 'job.id - 1'));
    const failed = await run(process.execPath, [TSC, '-p', project], { cwd: project }).catch((error: { stdout: string }) => error);
    expect('stdout' in failed ? failed.stdout : '').toContain('broken.ts');
    rmSync(join(project, 'broken.ts'));
  }, 60_000);

  it('runs a plain JavaScript submitter whose retry of the same extIPID answers the same job', async () => {
    await putContract(t, 'sdk-orders');
    const key = await request(t.server).post(t.path('/admin/api-keys')).set(asAdmin()).send({ principal: 'sdk-submitter', roles: ['Integrations'] }).expect(201);
    writeFileSync(join(project, 'submitter.mjs'), JAVASCRIPT_SUBMITTER);
    const { stdout } = await run(process.execPath, ['submitter.mjs'], {
      cwd: project,
      timeout: 30_000,
      env: { PATH: process.env.PATH ?? '', GATEWAY_URL: await gatewayUrl(), GATEWAY_API_KEY: key.body.key },
    });
    const answer = JSON.parse(stdout.trim());
    expect(answer).toEqual({ first: answer.second, second: expect.stringMatching(/^\d+$/), replayed: [false, true] });
    // Out of the way of the worker below, which completes the first job it claims.
    await request(t.server).post(t.path(`/job-manager/jobs/${answer.first}/abort`)).set(asAdmin()).expect(200);
  }, 60_000);

  it('runs a plain JavaScript worker that completes a job on a real gateway', async () => {
    await putContract(t, 'sdk-orders');
    const key = await request(t.server).post(t.path('/admin/api-keys')).set(asAdmin()).send({ principal: 'sdk-worker', roles: ['Workers'] }).expect(201);
    const submitted = await request(t.server)
      .post(t.path('/job-manager/jobs'))
      .set(asAdmin())
      .send({ contractName: 'sdk-orders', actionName: 'import', actionVariables: { date: '2026-12-02' } })
      .expect(201);
    writeFileSync(join(project, 'worker.mjs'), JAVASCRIPT_WORKER);
    const { stdout } = await run(process.execPath, ['worker.mjs'], {
      cwd: project,
      timeout: 30_000,
      env: { PATH: process.env.PATH ?? '', GATEWAY_URL: await gatewayUrl(), GATEWAY_API_KEY: key.body.key },
    });
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')).toEqual({ completed: submitted.body.id });
    const job = await request(t.server).get(t.path(`/job-manager/jobs/${submitted.body.id}`)).set(asAdmin()).expect(200);
    expect(job.body).toMatchObject({ status: 'COMPLETED', result: { rows: 3, from: 'a separate project' } });
  }, 60_000);
});
