import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, TEST_ADMIN_PASSWORD, withRoles } from './setup/auth';
import { ghibli } from './setup/cli';
import { putContract } from './setup/contracts';
import { createTestApp, TestApp } from './setup/create-test-app';
import { claim, workerCall } from './setup/workers';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'dist/cli/ghibli.js');

describe('the ghibli command line against a real gateway (docs/client.md)', () => {
  let t: TestApp;
  let url: string;
  let work: string;
  const cli = (args: string[], env?: Record<string, string | undefined>) => ghibli(url, args, env);
  const submit = async (date: string, ...extra: string[]) => {
    const result = await cli(['jobs', 'submit', 'cli-orders', 'import', '--var', `date=${date}`, '--json', ...extra]);
    expect(result.code).toBe(0);
    return result.json().job;
  };

  beforeAll(async () => {
    // `npm test` builds first; a lone run of this file builds the bin (executable, by postbuild) itself.
    if (!existsSync(BIN)) await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], { cwd: ROOT });
    work = mkdtempSync(join(tmpdir(), 'ghibli-cli-'));
    t = await createTestApp();
    url = await t.listen();
    await putContract(t, 'cli-orders');
  });

  afterAll(async () => {
    await t?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('submits: 201 created, the same extIPID replayed, other variables flagged as a mismatch; one job', async () => {
    const args = ['jobs', 'submit', 'cli-orders', 'import', '--var', 'date=2026-12-02', '--ext-ipid', 'cli-1', '--json'];
    const first = await cli(args);
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ replayed: false, mismatch: false, job: { extIPID: 'cli-1', actionVariables: { date: '2026-12-02', dryRun: false } } });
    const again = await cli(args);
    expect(again.json()).toMatchObject({ replayed: true, mismatch: false, job: { id: first.json().job.id } });
    const other = await cli([...args, '--var', 'dryRun=true']);
    expect(other.code).toBe(0);
    expect(other.json()).toMatchObject({ replayed: true, mismatch: true });
    expect(other.stderr).toContain('other actionVariables');
    const listed = await request(t.server).get(t.path('/job-manager/jobs?extIPID=cli-1&includeTotal=true')).set(asAdmin()).expect(200);
    expect(listed.body.total).toBe(1);
  });

  it('submits from a vars file, and prints a line for people', async () => {
    writeFileSync(join(work, 'vars.json'), JSON.stringify({ date: '2026-12-01', dryRun: true }));
    const result = await cli(['jobs', 'submit', 'cli-orders', 'import', '--vars-file', join(work, 'vars.json'), '--var', 'date=2026-12-05']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^job \d+ created SUBMITTED \(extIPID [0-9a-f-]{36}\)\n$/);
  });

  it('exits 2 on a usage or validation error, naming the fields', async () => {
    const invalid = await cli(['jobs', 'submit', 'cli-orders', 'import', '--json']);
    expect(invalid.code).toBe(2);
    expect(invalid.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', status: 400 } });
    expect(invalid.stderr).toContain('date');
    for (const args of [['jobs', 'submit', 'cli-orders'], ['jobs', 'submit', 'c', 'a', '--var', 'novalue'], ['jobs', 'list', '--since', 'yesterday'], ['jobs', 'list', '--status', 'DONE'], ['nonsense']]) {
      const usage = await cli(args);
      expect(usage.code, args.join(' ')).toBe(2);
      expect(usage.stderr).toMatch(/error|unknown/);
    }
    expect((await cli(['jobs', 'submit', 'c', 'a', '--vars-file', join(work, 'missing.json')])).code).toBe(2);
  });

  it('exits 3 without valid credentials or permission, 4 for what does not exist, 5 when the gateway cannot be reached', async () => {
    const wrongPassword = await cli(['jobs', 'list', '--json'], { GHIBLI_PASSWORD: 'wrong' });
    expect(wrongPassword.code).toBe(3);
    expect(wrongPassword.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const { Authorization } = await withRoles('nobody', []);
    expect((await cli(['jobs', 'list'], { GHIBLI_TOKEN: Authorization.slice('Bearer '.length) })).code).toBe(3);
    expect((await cli(['jobs', 'get', '999999999'])).code).toBe(4);
    expect((await cli(['jobs', 'submit', 'no-such-contract', 'import'])).code).toBe(4);
    const down = await cli(['health', '--json', '--attempts', '2'], { GHIBLI_URL: 'http://127.0.0.1:9/ghibli-rest/v2' });
    expect(down.code).toBe(5);
    expect(down.json()).toMatchObject({ error: { code: 'GatewayUnavailableError' } });
  });

  it('lists jobs with filters, --since and --limit, as a table or JSON', async () => {
    await submit('2026-12-06');
    await submit('2026-12-07');
    const json = await cli(['jobs', 'list', '--contract', 'cli-orders', '--status', 'SUBMITTED', '--since', '1h', '--limit', '2', '--json']);
    expect(json.code).toBe(0);
    expect(json.json()).toHaveLength(2);
    expect(json.json()[0]).toMatchObject({ contract: 'cli-orders', status: 'SUBMITTED', submittedBy: 'admin' });
    expect((await cli(['jobs', 'list', '--since', '1h', '--submitted-by', 'someone-else', '--json'])).json()).toEqual([]);
    expect((await cli(['jobs', 'list', '--queue', 'imports', '--json'])).json().length).toBeGreaterThanOrEqual(4);
    const table = await cli(['jobs', 'list', '--limit', '3']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+CONTRACT\s+ACTION\s+QUEUE\s+SUBMITTED BY\s+CREATED\s+PROGRESS$/);
    expect(table.stdout.trim().split('\n')).toHaveLength(4);
    expect(table.stdout).not.toContain('\u001b[');
  });

  it('gets a job and its events', async () => {
    const job = await submit('2026-12-08');
    const got = await cli(['jobs', 'get', job.id, '--json']);
    expect(got.json()).toMatchObject({ id: job.id, status: 'SUBMITTED' });
    expect((await cli(['jobs', 'get', job.id])).stdout).toMatch(/^status\s+SUBMITTED$/m);
    const events = await cli(['jobs', 'events', job.id, '--json']);
    expect(events.json().map((event: { type: string }) => event.type)).toEqual(['job.submitted']);
    expect((await cli(['jobs', 'events', job.id])).stdout).toMatch(/^SEQ\s+AT\s+TYPE\s+ACTOR\s+DATA\n.*job\.submitted\s+admin/);
  });

  it('suspends, resumes, aborts and restarts a job; an illegal transition exits 2', async () => {
    const job = await submit('2026-12-09');
    const step = async (command: string, status: string) => {
      const result = await cli(['jobs', command, job.id, '--json']);
      expect(result.code, command).toBe(0);
      expect(result.json()).toMatchObject({ id: job.id, status });
    };
    await step('suspend', 'SUSPENDED');
    await step('resume', 'SUBMITTED');
    await step('abort', 'ABORTED');
    const illegal = await cli(['jobs', 'suspend', job.id]);
    expect(illegal.code).toBe(2);
    expect(illegal.stderr).toContain('ILLEGAL_TRANSITION');
    await step('restart', 'SUBMITTED');
    expect((await cli(['jobs', 'abort', job.id])).stdout).toMatch(new RegExp(`^job ${job.id} ABORTED\\n$`));
  });

  it('resubmits a job with variables overridden', async () => {
    const job = await submit('2026-12-10');
    const result = await cli(['jobs', 'resubmit', job.id, '--var', 'dryRun=true', '--json']);
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ replayed: false, job: { resubmittedFrom: job.id, actionVariables: { date: '2026-12-10', dryRun: true } } });
    expect((await cli(['jobs', 'resubmit', '999999999'])).code).toBe(4);
  });

  it('--wait follows the job to its end: exit 0 when it COMPLETED, 1 when it ended in ERROR', async () => {
    const finish = async (outcome: 'complete' | 'fail') => {
      const date = outcome === 'complete' ? '2026-12-11' : '2026-12-12';
      const waiting = cli(['jobs', 'submit', 'cli-orders', 'import', '--var', `date=${date}`, '--wait', '--json']);
      let claimed;
      for (let tries = 0; !claimed && tries < 50; tries++) {
        claimed = (await claim(t, asAdmin(), { queues: ['imports'], maxJobs: 100 })).find((job) => job.actionVariables?.['date' as never] === date);
        if (!claimed) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (!claimed) throw new Error('the job was not claimed');
      if (outcome === 'complete') {
        await workerCall(t, asAdmin(), claimed.id, 'heartbeat', { leaseToken: claimed.lease.token, progress: 60 }).expect(200);
        // One long-poll of --wait (2 s) ends while the job runs, so its progress is shown.
        await new Promise((resolve) => setTimeout(resolve, 2200));
      }
      const body = outcome === 'complete' ? { leaseToken: claimed.lease.token } : { leaseToken: claimed.lease.token, error: 'boom', retryable: false };
      await workerCall(t, asAdmin(), claimed.id, outcome, body).expect(200);
      return waiting;
    };
    const completed = await finish('complete');
    expect(completed.code).toBe(0);
    expect(completed.json()).toMatchObject({ replayed: false, job: { status: 'COMPLETED' } });
    expect(completed.stderr).toMatch(/RUNNING 60%/);
    const failed = await finish('fail');
    expect(failed.code).toBe(1);
    expect(failed.json().job.status).toBe('ERROR');
  });

  it('lists contracts and queues, and says whether the gateway is ready', async () => {
    const contracts = await cli(['contracts', 'list', '--json']);
    expect(contracts.json().map((contract: { name: string }) => contract.name)).toContain('cli-orders');
    expect((await cli(['contracts', 'list'])).stdout).toMatch(/^NAME\s+TYPE\s+ACTOR\s+ENABLED\s+ACTIONS\s+UPDATED\ncli-orders\s+INPUT\s+ACME\s+yes\s+import/);
    const queues = await cli(['queues', 'list', '--json']);
    expect(queues.json().map((queue: { name: string }) => queue.name)).toContain('imports');
    expect((await cli(['queues', 'list'])).stdout).toMatch(/^imports\s+ENABLED/m);
    const health = await cli(['health', '--json']);
    expect(health.code).toBe(0);
    expect(health.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it('authenticates with a bearer token or an API key from the environment or flags', async () => {
    const { Authorization } = await withRoles('cli-bot', ['Administrators']);
    const token = Authorization.slice('Bearer '.length);
    expect((await cli(['jobs', 'list', '--json'], { GHIBLI_USER: undefined, GHIBLI_TOKEN: token })).code).toBe(0);
    const key = await request(t.server).post(t.path('/admin/api-keys')).set(asAdmin()).send({ principal: 'cli-key', roles: ['Administrators'] }).expect(201);
    expect((await cli(['--api-key', key.body.key, 'jobs', 'list', '--json'], { GHIBLI_USER: undefined })).code).toBe(0);
    expect((await cli(['--user', 'admin', 'health'], { GHIBLI_USER: undefined, GHIBLI_PASSWORD: undefined })).code).toBe(2);
  });

  it('runs as the built bin: help, the JSON document and the exit code of a real process', async () => {
    const help = await run(process.execPath, [BIN, '--help']);
    expect(help.stdout).toContain('Usage: ghibli');
    const env = { PATH: process.env.PATH ?? '', GHIBLI_URL: url, GHIBLI_USER: 'admin', GHIBLI_PASSWORD: TEST_ADMIN_PASSWORD };
    const missing = await run(BIN, ['jobs', 'get', '999999999', '--json'], { env }).catch((error: { code: number; stdout: string }) => error);
    expect(missing).toMatchObject({ code: 4 });
    expect(JSON.parse((missing as { stdout: string }).stdout)).toMatchObject({ error: { code: 'JOB_NOT_FOUND' } });
  });
});
