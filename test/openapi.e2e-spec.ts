import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument, serializeOpenApi } from '../src/openapi/openapi';
import { createTestApp, TestApp } from './setup/create-test-app';

describe('docs/openapi.json', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('is exactly what the code generates (run `npm run openapi` after changing the API)', () => {
    const committed = readFileSync(resolve(__dirname, '../docs/openapi.json'), 'utf8');
    expect(serializeOpenApi(buildOpenApiDocument(t.app, t.config.http.contextPath))).toBe(committed);
  });
});
