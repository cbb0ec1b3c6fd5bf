import { connect } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestApp } from './setup/create-test-app';
import { MAX_JSON_DEPTH } from '../src/common/http/json-shape';
import { expectProblem } from './setup/problem';

describe('HTTP basics: health, docs, problem details, correlation ids', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_LIMIT_BYTES: '2048' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it('serves liveness without credentials', async () => {
    const response = await request(t.server).get(t.path('/health')).expect(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('serves readiness after pinging the database', async () => {
    const response = await request(t.server).get(t.path('/health/ready')).expect(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('serves the Swagger UI and its JSON under the context path', async () => {
    const ui = await request(t.server).get(t.path('/docs')).expect(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    const json = await request(t.server).get(t.path('/docs-json')).expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(json.body.paths['/health/ready']).toBeDefined();
    expect(json.body.servers).toEqual([{ url: '/ghibli-rest/v2' }]);
  });

  it('routes nothing outside the context path', async () => {
    const response = await request(t.server).get('/health');
    expectProblem(response, 404, 'NOT_FOUND');
  });

  it('answers an unknown route with a 404 problem naming the path', async () => {
    const response = await request(t.server).get(t.path('/no-such-thing'));
    expectProblem(response, 404, 'NOT_FOUND');
    expect(response.body.instance).toBe('/ghibli-rest/v2/no-such-thing');
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const response = await request(t.server)
      .post(t.path('/job-manager/jobs'))
      .set('content-type', 'application/json')
      .send('{"unterminated": ');
    expectProblem(response, 400, 'MALFORMED_REQUEST');
  });

  it('refuses prototype-poisoning JSON', async () => {
    const response = await request(t.server)
      .post(t.path('/job-manager/jobs'))
      .set('content-type', 'application/json')
      .send('{"__proto__": {"admin": true}}');
    expectProblem(response, 400, 'MALFORMED_REQUEST');
  });

  it('refuses a body over BODY_LIMIT_BYTES with 413', async () => {
    const response = await request(t.server)
      .post(t.path('/job-manager/jobs'))
      .set('content-type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(4096) }));
    expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers a request line and headers over 16 KiB with a 431 problem, before routing', async () => {
    const response = await request(t.server).get(`${t.path('/job-manager/jobs')}?contract=${'x'.repeat(20_000)}`);
    expect(response.status).toBe(431);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    // No instance: the parser refused the request before its target could be trusted.
    expect(response.body).toEqual({
      type: 'urn:ghibli-gateway:problem:headers-too-large',
      title: 'Request headers too large',
      status: 431,
      code: 'HEADERS_TOO_LARGE',
      detail: expect.any(String),
    });
  });

  it('answers bytes that are not HTTP with a 400 problem and closes the connection', async () => {
    const url = new URL(await t.listen());
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString('utf8')));
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
  });

  it('refuses JSON nested deeper than MAX_JSON_DEPTH before parsing it, with a 400 problem', async () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const refused = await request(t.server)
      .post(t.path('/job-manager/jobs'))
      .set('content-type', 'application/json')
      .send(nested(MAX_JSON_DEPTH + 1));
    expectProblem(refused, 400, 'MALFORMED_REQUEST');
    expect(refused.body.detail).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
    const parsed = await request(t.server)
      .post(t.path('/job-manager/jobs'))
      .set('content-type', 'application/json')
      .send(nested(MAX_JSON_DEPTH));
    expectProblem(parsed, 401, 'UNAUTHENTICATED');
  });

  it('echoes an acceptable X-Correlation-Id', async () => {
    const response = await request(t.server).get(t.path('/health')).set('X-Correlation-Id', 'order-42.retry:1');
    expect(response.headers['x-correlation-id']).toBe('order-42.retry:1');
  });

  it('replaces an unacceptable X-Correlation-Id with a generated one', async () => {
    const response = await request(t.server).get(t.path('/health')).set('X-Correlation-Id', 'has spaces and\ttabs');
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates a correlation id when none is sent, also on errors', async () => {
    const response = await request(t.server).get(t.path('/missing'));
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes the correlation id into the request log line', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const logged = await createTestApp({ database: t.database, logger });
    try {
      await request(logged.server).get(logged.path('/health')).set('X-Correlation-Id', 'trace-77').expect(200);
      await request(logged.server).get(logged.path('/missing'));
      const requests = lines.filter((line) => line.msg === 'request');
      expect(requests.map((line) => [line.path, line.correlationId])).toEqual([
        ['/ghibli-rest/v2/health', 'trace-77'],
        ['/ghibli-rest/v2/missing', expect.stringMatching(/^[0-9a-f-]{36}$/)],
      ]);
    } finally {
      await logged.close();
    }
  });
});
