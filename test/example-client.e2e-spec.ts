import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, TEST_ADMIN_PASSWORD } from './setup/auth';
import { putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';

const ROOT = resolve(__dirname, '..');
const EXAMPLE = join(ROOT, 'examples/typescript-client');
const TSCONFIG = join(ROOT, 'examples/tsconfig.json');
// Where `tsc -p examples/tsconfig.json --noEmit false` puts it: CommonJS, like the rest of the project.
const COMPILED = join(ROOT, 'dist/examples/examples/typescript-client/main.js');
const TSC = require.resolve('typescript/bin/tsc');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', rejectRun);
    child.on('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

describe('the example client (examples/typescript-client): generated types + openapi-fetch, no casts', () => {
  let t: TestApp;
  let base: string;
  let workerKey: string;
  let compiled: Promise<{ code: number | null; stdout: string; stderr: string }>;

  beforeAll(async () => {
    compiled = run([TSC, '-p', TSCONFIG, '--noEmit', 'false']);
    t = await createTestApp();
    base = await t.listen();
    await putContract(t, 'tour-orders');
    const created = await request(t.server)
      .post(t.path('/admin/api-keys'))
      .set(asAdmin())
      .send({ principal: 'tour-worker', roles: ['Workers'] })
      .expect(201);
    workerKey = created.body.key;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('compiles with strict TypeScript against the committed generated types', async () => {
    expect(JSON.parse(readFileSync(TSCONFIG, 'utf8')).compilerOptions.strict).toBe(true);
    const tsc = await compiled;
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
    expect(readFileSync(COMPILED.replace('main.js', 'gateway-tour.js'), 'utf8')).toContain('require("openapi-fetch")');
  }, 60_000);

  it('needs no casts: no `as`, no `any`, no non-null assertion, no ts-ignore', () => {
    const sources = readdirSync(EXAMPLE).filter((name) => name.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(0);
    // Plain text, comments included: the word is simply not used, so nothing can hide behind it.
    const escapes = [/ as /, /\bany\b/, /[\w)\]]!(?!=)/, /@ts-(ignore|expect-error|nocheck)/];
    const found = sources.flatMap((name) =>
      readFileSync(join(EXAMPLE, name), 'utf8')
        .split('\n')
        .flatMap((line, index) => (escapes.some((pattern) => pattern.test(line)) ? [`${name}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it('submits, replays, lists with next, reads, controls, works a job off as a worker and reads a problem code', async () => {
    await compiled;
    const tour = await run([COMPILED], {
      GATEWAY_URL: base,
      GATEWAY_USER: 'admin',
      GATEWAY_PASSWORD: TEST_ADMIN_PASSWORD,
      GATEWAY_WORKER_API_KEY: workerKey,
      TOUR_CONTRACT: 'tour-orders',
      TOUR_ACTION: 'import',
      TOUR_RUN_ID: 'e2e',
    });
    expect(tour.code, tour.stderr).toBe(0);
    const report = JSON.parse(tour.stdout);
    expect(report).toEqual({
      jobId: expect.stringMatching(/^\d+$/),
      replayedJobId: report.jobId,
      replayedHeader: 'true',
      listedPages: 2,
      controlled: ['SUSPENDED', 'SUBMITTED', 'ABORTED'],
      completed: { status: 'COMPLETED', result: { rows: 3 } },
      notFound: { status: 404, code: 'JOB_NOT_FOUND' },
    });
    const job = await request(t.server).get(t.path(`/job-manager/jobs/${report.jobId}`)).set(asAdmin()).expect(200);
    expect(job.body).toMatchObject({ status: 'COMPLETED', result: { rows: 3 }, progress: 100, extIPID: 'e2e-first' });
  }, 60_000);
});
