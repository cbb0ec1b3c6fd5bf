import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ROOT, VENDORED_ASSETS } from '../src/console/console-assets';
import { createTestApp, TestApp } from './setup/create-test-app';
import { expectProblem } from './setup/problem';

const ASSET_FILES = readdirSync(resolve(CONSOLE_ROOT, 'assets'));

/** supertest leaves image bodies (the SVG icon) as a Buffer. */
const textOf = (response: request.Response): string => response.text ?? Buffer.from(response.body).toString('utf8');

describe('the admin console files', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('serves the page without credentials, at /console and /console/', async () => {
    for (const path of ['/console', '/console/']) {
      const page = await request(t.server).get(t.path(path)).expect(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.text).toContain(`<script type="module" src="${t.path('/console/assets/app.js')}"></script>`);
      expect(page.text).not.toContain('{{');
    }
  });

  it('sends a Content-Security-Policy that allows only the gateway itself, and the other hardening headers', async () => {
    for (const path of ['/console', '/console/assets/app.js']) {
      const response = await request(t.server).get(t.path(path)).expect(200);
      const csp = response.headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      });
    }
  });

  it('holds no inline script or style and loads nothing from another host', async () => {
    const page = await request(t.server).get(t.path('/console')).expect(200);
    expect(page.text.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    expect(page.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    for (const file of ASSET_FILES) {
      const asset = await request(t.server).get(t.path(`/console/assets/${file}`)).expect(200);
      expect(textOf(asset), file).not.toMatch(/(src|href|import[^'"]*)\s*=?\s*['"]https?:\/\//);
      expect(textOf(asset), file).not.toMatch(/\binnerHTML\b|\beval\(|new Function\(/);
    }
  });

  it('serves every module the scripts import, with its content type', async () => {
    const types: Record<string, string> = { js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml' };
    for (const file of ASSET_FILES) {
      const asset = await request(t.server).get(t.path(`/console/assets/${file}`)).expect(200);
      expect(asset.headers['content-type'], file).toContain(types[file.split('.').pop() as string]);
      for (const [, imported] of textOf(asset).matchAll(/from '\.\/([\w.-]+)'/g)) {
        expect(ASSET_FILES, `${file} imports ${imported}`).toContain(imported);
      }
    }
  });

  it('serves Chart.js from node_modules as is, with the same headers, and nothing in it the CSP would have to allow', async () => {
    expect(Object.keys(VENDORED_ASSETS)).toEqual(['chart.umd.js']);
    const path = VENDORED_ASSETS['chart.umd.js']();
    expect(path).toMatch(/node_modules\/chart\.js\/dist\/chart\.umd\.js$/);
    const asset = await request(t.server).get(t.path('/console/assets/chart.umd.js')).expect(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['content-security-policy']).toContain("script-src 'self'");
    expect(asset.text).toBe(readFileSync(path, 'utf8'));
    expect(asset.text).not.toMatch(/\beval\(|new Function\(|\binnerHTML\b/);
  });

  it('answers 304 to a request that already holds the current version', async () => {
    const first = await request(t.server).get(t.path('/console/assets/app.js')).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    await request(t.server).get(t.path('/console/assets/app.js')).set('If-None-Match', etag).expect(304);
    await request(t.server).get(t.path('/console/assets/app.js')).set('If-None-Match', '"other"').expect(200);
  });

  it('answers 404 problem details for anything that is not one of its files', async () => {
    for (const name of ['nope.js', '..%2F..%2Fpackage.json', '..%2Findex.html', '%2Fetc%2Fpasswd']) {
      expectProblem(await request(t.server).get(t.path(`/console/assets/${name}`)), 404, 'NOT_FOUND');
    }
    expectProblem(await request(t.server).get(t.path('/console/assets/../../package.json')), 404, 'NOT_FOUND');
  });

  it('follows the configured context path', async () => {
    const other = await createTestApp({ env: { CONTEXT_PATH: '/ops/gateway' } });
    try {
      const page = await request(other.server).get('/ops/gateway/console').expect(200);
      expect(page.text).toContain('src="/ops/gateway/console/assets/app.js"');
      await request(other.server).get('/ops/gateway/console/assets/app.js').expect(200);
    } finally {
      await other.close();
    }
  });
});
