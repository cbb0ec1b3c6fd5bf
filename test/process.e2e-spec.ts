import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TestDatabase } from './setup/test-database';

const MAIN = resolve(__dirname, '../dist/main.js');
const WRONG_PASSWORD = 'wrong-password-that-must-not-be-logged';
const FORGED_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.forged-signature-not-to-be-logged';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built gateway (`npm test` builds first) as a real process, as `npm start` would. */
function runGateway(env: Record<string, string>, whileRunning?: (output: () => string, stop: () => void) => void) {
  return new Promise<Exit>((resolvePromise) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolvePromise({ code, stdout, stderr });
    });
    whileRunning?.(
      () => stdout,
      () => child.kill('SIGTERM'),
    );
  });
}

describe.skipIf(!existsSync(MAIN))('the gateway process', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('refuses to start on a bad DATABASE_URL with one line naming it', async () => {
    const exit = await runGateway({ DATABASE_URL: 'postgres://nope' });
    expect(exit.code).toBe(1);
    const lines = exit.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: DATABASE_URL must be sqlite:<file path> or mysql:\/\//);
  });

  it('refuses to start on a bad PORT with one line naming it', async () => {
    const exit = await runGateway({ DATABASE_URL: database.url, PORT: 'eighty' });
    expect(exit.code).toBe(1);
    expect(exit.stderr.trim()).toMatch(/^Invalid configuration: PORT .*got "eighty"/);
  });

  it('starts, prints a first admin once, says where the API is, logs no credential, and shuts down cleanly on SIGTERM', async () => {
    let readyLine: { api?: string; docs?: string } = {};
    let health = 0;
    let adminStatus = 0;
    let password = '';
    let apiKey = '';
    const exit = await runGateway({ DATABASE_URL: database.url, LOG_LEVEL: 'trace' }, (output, stop) => {
      const poll = setInterval(async () => {
        const line = output()
          .split('\n')
          .find((candidate) => candidate.includes('"api"'));
        if (!line) return;
        clearInterval(poll);
        readyLine = JSON.parse(line);
        health = (await fetch(`${readyLine.api}/health`)).status;
        password = /password: (\S+)/.exec(output())?.[1] ?? '';
        const credentials = Buffer.from(`admin:${password}`).toString('base64');
        adminStatus = (await fetch(`${readyLine.api}/admin/permissions`, { headers: { Authorization: `Basic ${credentials}` } }))
          .status;
        const created = await fetch(`${readyLine.api}/admin/api-keys`, {
          method: 'POST',
          headers: { Authorization: `Basic ${credentials}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ principal: 'log-check', roles: ['Users'] }),
        });
        apiKey = ((await created.json()) as { key: string }).key;
        await fetch(`${readyLine.api}/job-manager/jobs`, { headers: { 'X-API-Key': apiKey } });
        await fetch(`${readyLine.api}/job-manager/jobs`, { headers: { 'X-API-Key': `${apiKey}x` } });
        await fetch(`${readyLine.api}/job-manager/jobs`, { headers: { Authorization: `Basic ${Buffer.from(`admin:${WRONG_PASSWORD}`).toString('base64')}` } });
        await fetch(`${readyLine.api}/job-manager/jobs`, { headers: { Authorization: `Bearer ${FORGED_TOKEN}` } });
        stop();
      }, 100);
    });
    expect(readyLine.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ghibli-rest\/v2$/);
    expect(readyLine.docs).toBe(`${readyLine.api}/docs`);
    expect(health).toBe(200);
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(adminStatus).toBe(200);
    const logLines = exit.stdout.split('\n').filter((line) => line.startsWith('{'));
    expect(logLines.some((line) => line.includes(password))).toBe(false);
    // Credentials, accepted or refused, never reach a log line, even at the most verbose level.
    expect(apiKey).toMatch(/^gw_/);
    for (const secret of [apiKey, WRONG_PASSWORD, FORGED_TOKEN]) {
      expect(exit.stdout).not.toContain(secret);
      expect(exit.stderr).not.toContain(secret);
    }
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('"msg":"shutting down"');
  });

  it('starts quietly at info: no framework chatter, every URL in the ready line, the first credential with a real URL', async () => {
    const fresh = await createTestDatabase();
    try {
      let ready: Record<string, string> = {};
      const exit = await runGateway({ DATABASE_URL: fresh.url }, (output, stop) => {
        const poll = setInterval(() => {
          const line = output()
            .split('\n')
            .find((candidate) => candidate.includes('"api"'));
          if (!line) return;
          clearInterval(poll);
          ready = JSON.parse(line);
          stop();
        }, 100);
      });
      expect(ready).toMatchObject({ health: `${ready.api}/health`, metrics: `${ready.api}/metrics`, console: `${ready.api}/console` });
      expect(exit.stdout).not.toMatch(/RouterExplorer|RoutesResolver|InstanceLoader|Mapped \{/);
      expect(exit.stdout).toContain(`Try:      curl -u admin:`);
      expect(exit.stdout).toMatch(new RegExp(`curl -u admin:\\S+ ${ready.api.replace(/[.]/g, '\\.')}/auth/me`));
      expect(exit.stdout).not.toContain('<api>');
      expect(exit.stdout.trim().split('\n').length).toBeLessThan(20);
    } finally {
      await fresh.drop();
    }
  });
});
