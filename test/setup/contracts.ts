import request from 'supertest';
import { asAdmin, type Headers } from './auth';
import type { TestApp } from './create-test-app';
import { submit } from './jobs';

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

const RUN_TEMPLATE = { id: '1', name: 'w', revision: '1' };

/**
 * Contract `c-<queue>` with one action `run` submitting into `queue` (overrides in `action`);
 * `add` submits a job there as `headers` and answers the created job.
 */
export async function actionInQueue(t: TestApp, queue: string, headers: Headers, action: Record<string, unknown> = {}) {
  await putContract(t, `c-${queue}`, contractBody({ actions: [{ name: 'run', queue, workflowTemplate: RUN_TEMPLATE, ...action }] }));
  const add = async (extra: Record<string, unknown> = {}) =>
    (await submit(t, headers, { contractName: `c-${queue}`, actionName: 'run', ...extra }).expect(201)).body;
  return { name: queue, add };
}
