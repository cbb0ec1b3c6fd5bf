// Page scripts are passed as strings: the test sources are type-checked without the DOM library.
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, createUser, TEST_ADMIN_PASSWORD } from '../setup/auth';
import { createTestApp, TestApp } from '../setup/create-test-app';
import { submit } from '../setup/jobs';
import { startReceiver } from '../setup/webhook-receiver';
import { launchChromium } from './chromium';
import { SCREENSHOTS, signInBasic } from './console-fixtures';

// The receiver listens on 127.0.0.1, and short retries make a failing delivery DEAD within a second.
const WEBHOOK_ENV = {
  CONTRACTS_FILE: 'example',
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_INTERVAL_MS: '100',
  WEBHOOK_RETRY_BASE_MS: '20',
  WEBHOOK_MAX_ATTEMPTS: '2',
  WEBHOOK_TIMEOUT_MS: '2000',
};
/** One more than a page of deliveries (DELIVERY_PAGE in webhooks-view.js), so "Load more" has something to load. */
const JOBS = 21;
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

interface Delivery {
  id: string;
  jobId: string;
  status: string;
}

// Texts are looked up inside #main: the hidden screen-reader announcer repeats the page's notices.

describe('the console webhooks view in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let down = false;
  let webhookId: number;

  const consoleUrl = (hash = '') => `${base}/console${hash}`;
  const shot = (name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: false });
  const webhooks = async () => (await request(t.server).get(t.path('/admin/webhooks')).set(asAdmin()).expect(200)).body.webhooks;
  const deliveries = async (): Promise<Delivery[]> =>
    (await request(t.server).get(t.path(`/admin/webhooks/${webhookId}/deliveries?maxItems=100`)).set(asAdmin()).expect(200)).body.deliveries;
  const submitJob = async (n: number) =>
    (await submit(t, asAdmin(), { contractName: 'acme-orders', actionName: 'import', actionVariables: { date: `2026-12-${String(n).padStart(2, '0')}` } }).expect(201)).body
      .id as string;
  const statuses = async () => (await deliveries()).map((delivery) => delivery.status);
  const shownStatuses = () => page.locator('table.deliveries tbody .badge').allTextContents();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await createTestApp({ env: WEBHOOK_ENV });
    base = await t.listen();
    receiver = await startReceiver(() => (down ? 503 : 204));
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.addInitScript(`window.cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`);
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await t?.close();
  });

  it('creates a webhook, showing the gateway\'s refusal in the form and then the secret once', async () => {
    await page.goto(consoleUrl('#/jobs'));
    await signInBasic(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Webhooks' }).getAttribute('aria-current')).toBe('page');
    await page.locator('#main').getByText('No webhook yet.').waitFor();

    const openapi = JSON.parse(readFileSync(resolve(__dirname, '../../docs/openapi.json'), 'utf8'));
    expect(await page.locator('input[name="events"]').evaluateAll((boxes) => boxes.map((box) => box.getAttribute('value')))).toEqual(
      openapi.components.schemas.JobEventType.enum,
    );

    // No event checked: the gateway's 400 and its field errors appear in the form.
    const form = page.locator('form.webhook-form');
    await page.getByLabel('URL').fill(`${receiver.url}/orders`);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await form.getByRole('alert').getByText('400 VALIDATION_FAILED').waitFor();
    await form.getByText(/^events: /).waitFor();

    await page.getByLabel('job.submitted').check();
    await page.getByLabel('job.completed').check();
    await page.getByLabel('Contracts').fill('acme-orders, ');
    await page.getByLabel('Description').fill('Order imports for the warehouse');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const notice = page.locator('#main .notice.secret');
    await notice.getByText('Store it now; it is not shown again.').waitFor();
    const secret = (await notice.locator('code').textContent()) ?? '';
    expect(secret).toMatch(SECRET);
    expect(await page.evaluate(`document.activeElement.classList.contains('secret')`)).toBe(true);

    const [webhook] = await webhooks();
    webhookId = webhook.id;
    expect(webhook).toMatchObject({ url: `${receiver.url}/orders`, events: ['job.submitted', 'job.completed'], contracts: ['acme-orders'], enabled: true });
    const row = page.locator('table.webhooks tbody tr');
    expect(await row.locator('td').nth(1).textContent()).toBe('acme-orders');
    expect(await page.getByLabel('URL').inputValue()).toBe('');
    expect(await page.evaluate('window.cspViolations')).toEqual([]);
    await shot('webhooks');

    await page.reload();
    await row.waitFor();
    expect(await page.locator('#main').textContent()).not.toContain(secret);
  });

  it('disables a webhook after a confirmation, and enables it again', async () => {
    await page.getByRole('button', { name: `Disable webhook ${webhookId}` }).click();
    await page.getByRole('dialog', { name: `Disable webhook ${webhookId}?` }).getByRole('button', { name: 'Disable' }).click();
    await page.locator('#main').getByText(`Webhook ${webhookId} disabled.`).waitFor();
    expect((await webhooks())[0].enabled).toBe(false);
    const enable = page.getByRole('button', { name: `Enable webhook ${webhookId}` });
    expect(await page.evaluate(`document.activeElement.getAttribute('aria-label')`)).toBe(`Enable webhook ${webhookId}`);

    await enable.click();
    await page.locator('#main').getByText(`Webhook ${webhookId} enabled.`).waitFor();
    expect((await webhooks())[0].enabled).toBe(true);
  });

  it('edits events, contracts and description in a dialog, showing the gateway\'s refusal in it', async () => {
    await page.getByRole('button', { name: `Edit webhook ${webhookId}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit webhook ${webhookId}` });
    for (const type of ['job.submitted', 'job.completed']) await dialog.getByLabel(type).uncheck();
    await dialog.getByRole('button', { name: 'Save' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/400 VALIDATION_FAILED.*events: /);

    await dialog.getByLabel('job.submitted').check();
    await dialog.getByLabel('job.failed').check();
    await dialog.getByLabel('Contracts').fill('');
    await dialog.getByLabel('Description').fill('Every contract now');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('#main').getByText(`Webhook ${webhookId} saved.`).waitFor();
    expect((await webhooks())[0]).toMatchObject({ events: ['job.submitted', 'job.failed'], contracts: null, description: 'Every contract now', enabled: true });
    expect(await page.locator('table.webhooks tbody tr td').nth(1).textContent()).toBe('every contract');
  });

  it('lists the deliveries newest first, page by page, and retries a DEAD one', async () => {
    for (let n = 1; n < JOBS; n++) await submitJob(n);
    await expect.poll(statuses, { timeout: 10_000 }).toEqual(Array(JOBS - 1).fill('SUCCEEDED'));
    down = true;
    const failed = await submitJob(JOBS);
    await expect.poll(async () => (await deliveries())[0], { timeout: 10_000 }).toMatchObject({ jobId: failed, status: 'DEAD' });
    down = false;

    await page.getByRole('link', { name: `Deliveries of webhook ${webhookId}` }).click();
    await page.getByRole('heading', { name: `Deliveries of webhook ${webhookId}` }).waitFor();
    await expect.poll(shownStatuses).toEqual(['DEAD', ...Array(JOBS - 2).fill('SUCCEEDED')]);
    const dead = page.locator('table.deliveries tbody tr').first();
    expect(await dead.locator('td').allTextContents()).toEqual([
      expect.any(String),
      'job.submitted',
      `job ${failed}`,
      'DEAD',
      '2',
      '503',
      expect.stringContaining('503'),
      '—',
      'Retry',
    ]);
    expect(await dead.getByRole('link').getAttribute('href')).toBe(`#/jobs/${failed}`);
    await shot('webhook-deliveries');

    await page.getByRole('button', { name: 'Load more deliveries' }).click();
    await expect.poll(async () => (await shownStatuses()).length).toBe(JOBS);
    expect(await page.getByRole('button', { name: 'Load more deliveries' }).count()).toBe(0);
    await page.locator('#main').getByLabel('Status').selectOption('DEAD');
    await expect.poll(shownStatuses).toEqual(['DEAD']);
    await page.locator('#main').getByLabel('Status').selectOption('');
    await expect.poll(shownStatuses).toEqual(['DEAD', ...Array(JOBS - 2).fill('SUCCEEDED')]);

    const [deadDelivery] = await deliveries();
    await page.getByRole('button', { name: `Retry delivery ${deadDelivery.id}` }).click();
    await page.locator('#main').getByText(`Delivery ${deadDelivery.id} is due again.`).waitFor();
    await expect.poll(async () => (await deliveries())[0].status, { timeout: 10_000 }).toBe('SUCCEEDED');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(shownStatuses).toEqual(Array(JOBS - 1).fill('SUCCEEDED'));
    expect(await page.getByRole('button', { name: /^Retry/ }).count()).toBe(0);
  });

  it('deletes a webhook after a confirmation', async () => {
    await page.getByRole('link', { name: 'All webhooks' }).click();
    await page.getByRole('button', { name: `Delete webhook ${webhookId}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete webhook ${webhookId}?` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await webhooks()).toHaveLength(1);
    await page.getByRole('button', { name: `Delete webhook ${webhookId}` }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.locator('#main').getByText(`Webhook ${webhookId} deleted.`).waitFor();
    await page.locator('#main').getByText('No webhook yet.').waitFor();
    expect(await webhooks()).toEqual([]);
  });

  it('shows a caller without WEBHOOKS no webhooks entry, and says why on a bookmarked link', async () => {
    await createUser(t, 'auditor', ['Users']);
    const reader = await browser.context.newPage();
    try {
      await reader.goto(`${base}/console#/jobs`);
      await signInBasic(reader, 'auditor', 'auditor-password-123');
      await reader.getByRole('heading', { name: 'Jobs' }).waitFor();
      expect(await reader.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
      await reader.goto(`${base}/console#/webhooks`);
      await reader.locator('#main').getByText('Your roles do not grant WEBHOOKS: you cannot see or change the webhooks.').waitFor();
      expect(await reader.locator('form, table').count()).toBe(0);
    } finally {
      await reader.close();
    }
  });
});
