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

  describe('every operation', () => {
    const document = JSON.parse(readFileSync(resolve(__dirname, '../docs/openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, { operationId: string; security?: unknown[]; responses: Record<string, { $ref?: string; content?: object }> }>>;
    };
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, ...operation })),
    );

    it.each(operations.map((operation) => [operation.name, operation] as const))('%s declares a typed success answer', (_name, operation) => {
      const successes = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      expect(successes.length).toBeGreaterThan(0);
      for (const [status, response] of successes) expect(status === '204' || response.content !== undefined, status).toBe(true);
    });

    it('has an operation id that reads as a method name, once', () => {
      const ids = operations.map((operation) => operation.operationId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
    });

    it('declares its problem answers, except the public probes that take no input', () => {
      for (const operation of operations) {
        const problems = Object.keys(operation.responses).filter((status) => status >= '400');
        const publicProbe = operation.security?.length === 0 && operation.name.startsWith('GET /health');
        if (!publicProbe) expect(problems, operation.name).toContain(operation.security?.length ? '401' : '400');
      }
    });
  });
});
