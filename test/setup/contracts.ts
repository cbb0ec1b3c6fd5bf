import request from 'supertest';
import { asAdmin } from './auth';
import type { TestApp } from './create-test-app';

/** A contract body with one action, for tests; override any part. */
export function contractBody(overrides: Record<string, unknown> = {}) {
  return {
    type: 'INPUT',
    actor: 'ACME',
    description: 'test contract',
    actions: [
      {
        name: 'import',
        queue: 'imports',
        workflowTemplate: { id: '7', name: 'import-orders', revision: '3', description: 'imports orders' },
        variables: [
          { name: 'date', type: 'string', required: true },
          { name: 'dryRun', type: 'boolean', default: false },
        ],
      },
    ],
    ...overrides,
  };
}

/** Creates (or replaces) a contract through the API as the bootstrap admin. */
export async function putContract(t: TestApp, name: string, body: Record<string, unknown> = contractBody()) {
  const response = await request(t.server).put(t.path(`/contracts/${name}`)).set(asAdmin()).send(body);
  if (response.status >= 300) throw new Error(`PUT /contracts/${name}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
