import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from './setup/auth';
import { createTestApp, TestApp } from './setup/create-test-app';
import { expectProblem } from './setup/problem';
import { TcpProxy } from './setup/tcp-proxy';
import { createTestDatabase, hasMysql, TestDatabase } from './setup/test-database';

describe.skipIf(!hasMysql)('database outage (MySQL/MariaDB behind a TCP proxy)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 3306));
    await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await createTestApp({
      database: { ...database, url: viaProxy.toString() },
      env: { DATABASE_CONNECT_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '1500', DATABASE_RETRY_AFTER_SECONDS: '7' },
    });
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('answers 503 with Retry-After, promptly, while the database is unreachable', async () => {
    await request(t.server).get(t.path('/health/ready')).expect(200);
    await proxy.stop();
    const started = Date.now();
    const response = await request(t.server).get(t.path('/health/ready'));
    expectProblem(response, 503, 'DATABASE_UNAVAILABLE');
    expect(response.headers['retry-after']).toBe('7');
    // Bounded by the connect timeout, not by a TCP or pool default measured in minutes.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('recovers by itself once the database is back, without a restart', async () => {
    await proxy.start();
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
      status = (await request(t.server).get(t.path('/health/ready'))).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
  });

  it('answers 503 within the statement timeout when the database goes silent on open connections, then heals', async () => {
    const auth = await bearer({ sub: 'outage', roles: ['Administrators'] });
    // A pooled connection that the frozen proxy will leave half-open.
    await request(t.server).get(t.path('/job-manager/jobs')).set(auth).expect(200);
    proxy.freeze();
    const started = Date.now();
    const response = await request(t.server).get(t.path('/job-manager/jobs')).set(auth);
    expectProblem(response, 503, 'DATABASE_UNAVAILABLE');
    expect(response.headers['retry-after']).toBe('7');
    // DATABASE_STATEMENT_TIMEOUT_MS (1.5 s) bounds it; without it the request waits for TCP keep-alive.
    expect(Date.now() - started).toBeLessThan(10_000);

    await proxy.stop();
    await proxy.start();
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
      status = (await request(t.server).get(t.path('/job-manager/jobs')).set(auth)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
  });
});
