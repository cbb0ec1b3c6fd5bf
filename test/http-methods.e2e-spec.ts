import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin } from './setup/auth';
import { createTestApp, TestApp } from './setup/create-test-app';
import { expectProblem } from './setup/problem';
import { listRoutes, matchesTemplate } from './setup/routes';

type Method = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete' | 'options';

const allowOf = (response: request.Response) => String(response.headers.allow).split(', ').sort();

async function expectMethodNotAllowed(t: TestApp, method: Method, path: string, allowed: string[]) {
  const response = await request(t.server)[method](t.path(path)).set(asAdmin());
  expect(response.status, `${method.toUpperCase()} ${path}`).toBe(405);
  expect(allowOf(response), `Allow of ${method.toUpperCase()} ${path}`).toEqual([...allowed].sort());
  if (method !== 'head') {
    expectProblem(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.body.instance).toBe(t.path(path));
  }
  return response;
}

describe('HTTP methods: 405 with Allow on known paths, 404 on unknown ones', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers a wrong method on an existing path with 405 and the exact Allow set', async () => {
    await expectMethodNotAllowed(t, 'put', '/job-manager/jobs', ['GET', 'HEAD', 'POST']);
    await expectMethodNotAllowed(t, 'delete', '/health', ['GET', 'HEAD']);
    await expectMethodNotAllowed(t, 'post', '/contracts/acme', ['GET', 'HEAD', 'PUT', 'DELETE']);
    await expectMethodNotAllowed(t, 'get', '/job-manager/workers/claim', ['POST']);
    await expectMethodNotAllowed(t, 'delete', '/job-manager/jobs/42/abort', ['POST']);
    await expectMethodNotAllowed(t, 'post', '/docs-json', ['GET', 'HEAD']);
  });

  it('answers HEAD where GET is served, and 405 where it is not', async () => {
    await request(t.server).head(t.path('/health')).expect(200);
    await expectMethodNotAllowed(t, 'head', '/job-manager/workers/claim', ['POST']);
  });

  it('answers OPTIONS (no CORS configured) with 405 and Allow', async () => {
    await expectMethodNotAllowed(t, 'options', '/job-manager/jobs', ['GET', 'HEAD', 'POST']);
  });

  it('says 405 before authenticating, with the headers every answer carries', async () => {
    const response = await request(t.server).delete(t.path('/job-manager/jobs'));
    expectProblem(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers['x-correlation-id']).toBeDefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('still answers unknown paths with 404, whatever the method', async () => {
    for (const [method, path] of [
      ['get', '/no-such-thing'],
      ['delete', '/job-manager/nope'],
      ['put', '/job-manager/jobs/1/nope'],
      ['post', '/health/deeper'],
      ['options', '/no-such-thing'],
    ] as [Method, string][]) {
      expectProblem(await request(t.server)[method](t.path(path)).set(asAdmin()), 404, 'NOT_FOUND');
    }
    expectProblem(await request(t.server).delete('/health'), 404, 'NOT_FOUND');
  });

  it('answers 405 with the path\'s methods for every method a registered path lacks', async () => {
    const routes = listRoutes(t);
    const paths = [...new Set(routes.map((route) => route.path))];
    let checked = 0;
    for (const path of paths) {
      // The methods of every route the router matches this path with: a static path can also fit a parameter.
      const methods = new Set(routes.filter((route) => matchesTemplate(route.template, path)).map((route) => route.method));
      if (methods.has('GET')) methods.add('HEAD');
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((candidate) => !methods.has(candidate))) {
        await expectMethodNotAllowed(t, method.toLowerCase() as Method, path, [...methods]);
        checked++;
      }
    }
    expect(paths.length).toBeGreaterThan(20);
    expect(checked).toBeGreaterThan(paths.length);
  });
});

describe('HTTP methods with CORS on', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: 'https://console.example.com' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it('leaves preflights to CORS, and still tells 405 from 404', async () => {
    const preflight = await request(t.server)
      .options(t.path('/job-manager/jobs'))
      .set('Origin', 'https://console.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
    for (const headers of [{}, { Origin: 'https://console.example.com' }, { 'Access-Control-Request-Method': 'POST' }]) {
      const notPreflight = await request(t.server).options(t.path('/job-manager/jobs')).set(headers);
      expectProblem(notPreflight, 400, 'MALFORMED_REQUEST');
      expect(notPreflight.body.detail).toMatch(/Origin and Access-Control-Request-Method/);
      expect(notPreflight.headers['x-correlation-id']).toBeDefined();
    }
    await expectMethodNotAllowed(t, 'delete', '/health', ['GET', 'HEAD']);
    expectProblem(await request(t.server).get(t.path('/no-such-thing')), 404, 'NOT_FOUND');
  });
});
