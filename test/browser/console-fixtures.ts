import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { asAdmin } from '../setup/auth';
import type { TestApp } from '../setup/create-test-app';
import { submit } from '../setup/jobs';
import { claim, workerCall } from '../setup/workers';

// The committed screenshots change only when asked for (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? resolve(__dirname, '../../docs/console') : join(tmpdir(), 'gateway-console-screenshots');
export const IMPORT_JOBS = 24;
export const INVOICE_JOBS = 6;

/**
 * A catalogue's worth of jobs in every state the job view can show: waiting, running with progress
 * and more logs than one page, completed with a result, failed for good.
 */
export async function seedJobs(t: TestApp) {
  const ids: string[] = [];
  for (let day = 1; day <= IMPORT_JOBS; day++) {
    const date = `2026-11-${String(day).padStart(2, '0')}`;
    const response = await submit(t, asAdmin(), {
      contractName: 'acme-orders',
      actionName: 'import',
      actionVariables: { date },
      extIPID: `orders-${date}`,
    }).expect(201);
    ids.push(response.body.id);
  }
  for (let batch = 1; batch <= INVOICE_JOBS; batch++) {
    const response = await submit(t, asAdmin(), {
      contractName: 'globex-invoices',
      actionName: 'send',
      actionVariables: { batch: { from: batch * 100, to: batch * 100 + 99 } },
      extIPID: `invoices-${batch}`,
    }).expect(201);
    ids.push(response.body.id);
  }
  // The demo's imports queue runs two jobs at once (parallelism 2): the third is claimed once one has ended.
  const [running, completed] = await claim(t, asAdmin(), { workerId: 'worker-eu-1', queues: ['imports'], maxJobs: 2 });
  await workerCall(t, asAdmin(), completed.id, 'complete', { leaseToken: completed.lease.token, result: { orders: 812, rejected: 3 } }).expect(200);
  const [failed] = await claim(t, asAdmin(), { workerId: 'worker-eu-1', queues: ['imports'], maxJobs: 1 });
  const lines = Array.from({ length: 60 }, (_, i) => ({ message: `imported order ${i + 1}`, level: i === 41 ? 'warn' : 'info' }));
  await workerCall(t, asAdmin(), running.id, 'logs', { leaseToken: running.lease.token, lines }).expect(200);
  await workerCall(t, asAdmin(), running.id, 'heartbeat', { leaseToken: running.lease.token, progress: 60, message: '600 of 1000 orders' }).expect(200);
  await workerCall(t, asAdmin(), failed.id, 'fail', { leaseToken: failed.lease.token, error: 'SFTP host unreachable', retryable: false }).expect(200);
  return { ids, running: running.id, completed: completed.id, failed: failed.id };
}

export async function signInBasic(target: Page, user: string, password: string) {
  await target.getByLabel('User name').fill(user);
  await target.getByLabel('Password').fill(password);
  await target.getByRole('button', { name: 'Sign in' }).click();
}
