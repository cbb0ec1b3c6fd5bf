import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin } from './setup/auth';
import { createTestApp, TestApp } from './setup/create-test-app';

const WORKER = resolve(__dirname, '../dist/worker-example/example-worker.js');

describe('the example worker (npm run worker:example) against the demo catalogue', () => {
  let t: TestApp;
  let base: string;
  let apiKey: string;

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npm run build first (npm test does)`);
    t = await createTestApp({ env: { CONTRACTS_FILE: 'example' } });
    base = await t.listen();
    const created = await request(t.server)
      .post(t.path('/admin/api-keys'))
      .set(asAdmin())
      .send({ principal: 'example-worker', roles: ['Workers'] })
      .expect(201);
    apiKey = created.body.key;
  });

  afterAll(async () => {
    await t.close();
  });

  it('takes demo jobs from SUBMITTED to COMPLETED, with progress, logs and one completion each', async () => {
    const submitted: string[] = [];
    for (const day of ['2026-11-20', '2026-11-21', '2026-11-22']) {
      const response = await request(t.server)
        .post(t.path('/job-manager/jobs'))
        .set(asAdmin())
        .send({ contractName: 'acme-orders', actionName: 'import', actionVariables: { date: day }, extIPID: `orders-${day}` })
        .expect(201);
      submitted.push(response.body.id);
    }
    const completions = join(mkdtempSync(join(tmpdir(), 'example-worker-')), 'completions.jsonl');
    const child = spawn(process.execPath, [WORKER], {
      env: {
        PATH: process.env.PATH ?? '',
        GATEWAY_URL: base,
        GATEWAY_API_KEY: apiKey,
        WORKER_ID: 'e2e-example',
        WORKER_QUEUES: 'imports,default',
        EXAMPLE_WORK_MS: '100',
        EXAMPLE_COMPLETIONS_FILE: completions,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    try {
      const statuses = async () =>
        Promise.all(
          submitted.map(async (id) => (await request(t.server).get(t.path(`/job-manager/jobs/${id}`)).set(asAdmin())).body.status as string),
        );
      let current = await statuses();
      for (let poll = 0; poll < 100 && current.some((status) => status !== 'COMPLETED'); poll++) {
        await new Promise((resolveWait) => setTimeout(resolveWait, 200));
        current = await statuses();
      }
      expect(current, output).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      clearTimeout(killer);
    }
    const lines = readFileSync(completions, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.jobId).sort()).toEqual([...submitted].sort());
    const job = (await request(t.server).get(t.path(`/job-manager/jobs/${submitted[0]}`)).set(asAdmin())).body;
    expect(job).toMatchObject({ progress: 100, attempts: 1 });
    const logs = (await request(t.server).get(t.path(`/job-manager/jobs/${submitted[0]}/logs`)).set(asAdmin())).body;
    expect(logs.lines.length).toBeGreaterThan(0);
  });
});
