// Page scripts are passed as strings: the test sources are type-checked without the DOM library.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, bearer, TEST_ADMIN_PASSWORD } from '../setup/auth';
import { createTestApp, TestApp } from '../setup/create-test-app';
import { submit } from '../setup/jobs';
import { launchChromium } from './chromium';
import { IMPORT_JOBS, INVOICE_JOBS, SCREENSHOTS, seedJobs, signInBasic } from './console-fixtures';

// Texts are looked up inside #main: the hidden screen-reader announcer repeats the page's notices.

describe('the admin console in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let seeded: Awaited<ReturnType<typeof seedJobs>>;

  const consoleUrl = (hash = '') => `${base}/console${hash}`;
  const shot = (name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: false });
  const rowIds = () => page.locator('table.jobs tbody tr td:first-child').allTextContents();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await createTestApp({ env: { CONTRACTS_FILE: 'example' } });
    base = await t.listen();
    seeded = await seedJobs(t);
    browser = await launchChromium();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('refuses a wrong password, then signs in with a local user kept in session storage only', async () => {
    // An administrator without a hash lands on the dashboard (console-dashboard.browser-spec.ts).
    await page.goto(consoleUrl('#/jobs'));
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    await shot('sign-in');
    await signInBasic(page, 'admin', 'not-the-password');
    await page.locator('#main').getByText('These credentials were refused.').waitFor();

    await signInBasic(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await expect.poll(() => page.locator('#who-name').textContent()).toBe('admin (Administrators)');
    const storage = await page.evaluate('({ session: sessionStorage.length, local: localStorage.length, cookies: document.cookie })');
    expect(storage).toEqual({ session: 1, local: 0, cookies: '' });
    expect(await rowIds()).toHaveLength(IMPORT_JOBS + INVOICE_JOBS);
  });

  it('filters, keeps the filters in the URL, and survives a reload', async () => {
    await page.getByLabel('Contract', { exact: true }).fill('globex-invoices');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/contract=globex-invoices/);
    await expect.poll(async () => (await rowIds()).length).toBe(INVOICE_JOBS);
    expect(new Set(await page.locator('table.jobs tbody tr td:nth-child(3)').allTextContents())).toEqual(new Set(['globex-invoices']));

    await page.reload();
    await expect.poll(async () => (await rowIds()).length).toBe(INVOICE_JOBS);
    expect(await page.getByLabel('Contract', { exact: true }).inputValue()).toBe('globex-invoices');

    await page.locator('#main').getByText('More filters').click();
    await page.getByLabel('Created from').fill('2099-01-01T00:00');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.locator('#main').getByText('No job matches these filters.').waitFor();
    expect(page.url()).toContain(`createdAtFrom=${encodeURIComponent(new Date('2099-01-01T00:00').toISOString())}`);
    await page.getByLabel('Created from').fill('');

    await page.getByLabel('Status').selectOption('ERROR');
    await page.getByLabel('Contract', { exact: true }).fill('acme-orders');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(rowIds).toEqual([seeded.failed]);
  });

  it('sorts by a column header, and pages with next, the total on demand', async () => {
    await page.goto(consoleUrl('#/jobs?maxItems=20'));
    await expect.poll(async () => (await rowIds()).length).toBe(20);
    const newestFirst = await rowIds();
    expect(newestFirst[0]).toBe(seeded.ids.at(-1));

    await page.getByRole('button', { name: 'Id', exact: true }).click();
    await page.waitForURL(/sort=%2Bid/);
    await expect.poll(async () => (await rowIds())[0]).toBe(seeded.ids[0]);
    expect(await page.locator('th', { has: page.getByRole('button', { name: 'Id', exact: true }) }).getAttribute('aria-sort')).toBe('ascending');

    await page.getByLabel('Show total').check();
    await expect.poll(() => page.locator('.summary').textContent()).toBe(`20 jobs on this page · ${IMPORT_JOBS + INVOICE_JOBS} in total`);
    const firstPage = await rowIds();
    await shot('jobs');

    await page.getByRole('link', { name: /Next page/ }).click();
    await page.waitForURL(/cursor=/);
    await expect.poll(async () => (await rowIds()).length).toBe(IMPORT_JOBS + INVOICE_JOBS - 20);
    const secondPage = await rowIds();
    expect([...firstPage, ...secondPage]).toEqual([...seeded.ids].sort((a, b) => Number(a) - Number(b)));
    expect(await page.getByRole('link', { name: /Next page/ }).count()).toBe(0);

    await page.goBack();
    await expect.poll(rowIds).toEqual(firstPage);
  });

  it('refreshes the list on its own when asked', async () => {
    await page.goto(consoleUrl('#/jobs?maxItems=5'));
    await expect.poll(async () => (await rowIds()).length).toBe(5);
    await page.getByLabel(/Auto-refresh/).check();
    const added = await submit(t, asAdmin(), { contractName: 'globex-invoices', actionName: 'send', actionVariables: { batch: {} } }).expect(201);
    await expect.poll(async () => (await rowIds())[0], { timeout: 12_000 }).toBe(added.body.id);
    await page.getByLabel(/Auto-refresh/).uncheck();
  });

  it('opens a running job: fields, progress, executions, logs page by page', async () => {
    await page.goto(consoleUrl('#/jobs?status=RUNNING'));
    await page.getByRole('link', { name: seeded.running, exact: true }).click();
    await page.getByRole('heading', { name: `Job ${seeded.running}` }).waitFor();
    expect(await page.locator('progress').getAttribute('value')).toBe('60');
    await page.locator('#main').getByText('600 of 1000 orders').waitFor();
    await page.getByRole('cell', { name: 'worker-eu-1', exact: true }).waitFor();
    const logRows = page.locator('table.logs tbody tr');
    await expect.poll(() => logRows.count()).toBe(50);
    await page.getByRole('button', { name: 'Load more log lines' }).click();
    await expect.poll(() => logRows.count()).toBe(60);
    expect(await page.getByRole('button', { name: 'Load more log lines' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Abort' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Suspend' }).count()).toBe(0);
    await page.evaluate('window.scrollTo(0, 0)');
    await shot('job');

    await page.goto(consoleUrl(`#/jobs/${seeded.completed}`));
    await page.locator('#main').getByText('"orders": 812').waitFor();
  });

  it('aborts a waiting job after a confirmation, and then offers a restart', async () => {
    const target = seeded.ids[IMPORT_JOBS - 1];
    await page.goto(consoleUrl(`#/jobs/${target}`));
    await page.getByRole('button', { name: 'Abort' }).click();
    const dialog = page.getByRole('dialog', { name: `Abort job ${target}?` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Abort' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await request(t.server).get(t.path(`/job-manager/jobs/${target}`)).set(asAdmin())).body.status).toBe('SUBMITTED');

    await page.getByRole('button', { name: 'Abort' }).click();
    await dialog.getByRole('button', { name: 'Abort' }).click();
    await page.locator('#main').getByText('Job aborted.').waitFor();
    await page.locator('h1 .badge', { hasText: 'ABORTED' }).waitFor();
    expect((await request(t.server).get(t.path(`/job-manager/jobs/${target}`)).set(asAdmin())).body.status).toBe('ABORTED');
    expect(await page.getByRole('button', { name: 'Restart' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Abort' }).count()).toBe(0);
  });

  it('submits through the form built from the declared variables: 201, then 409 on resubmit', async () => {
    await page.getByRole('link', { name: 'Contracts' }).click();
    await page.getByRole('heading', { name: /acme-orders/ }).waitFor();
    const importVariables = page.getByRole('row', { name: /^import/ }).locator('ul.variables li');
    expect(await importVariables.allTextContents()).toEqual([
      String.raw`date: string, required, pattern ^\d{4}-\d{2}-\d{2}$ — Business day to import (YYYY-MM-DD)`,
      'source: string, default "sftp", one of "sftp" | "api" — Where the orders are fetched from',
      'dryRun: boolean, default false — Validate only; write nothing',
      'maxOrders: integer, default 10000, from 1 to 100000',
    ]);
    expect(await page.getByRole('row', { name: /^reimport/ }).locator('ul.variables li').nth(1).textContent()).toBe(
      'orderIds: array, at most 1000 items — Only these orders (all when absent)',
    );
    await shot('contracts');
    await page.getByRole('link', { name: 'Submit job… acme-orders / import' }).click();
    await page.getByRole('heading', { name: 'Submit acme-orders / import' }).waitFor();

    await page.getByLabel('date (required)').fill('2026-12-01');
    await page.getByLabel('source').selectOption('api');
    await page.getByLabel('maxOrders').fill('250');
    await page.getByLabel('extIPID (optional)').fill('console-orders-2026-12-01');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.locator('#main').getByText('201 Created: a new job.').waitFor();
    const created = await page.locator('.result a').textContent();
    const id = created?.replace('job ', '') as string;
    const job = (await request(t.server).get(t.path(`/job-manager/jobs/${id}`)).set(asAdmin()).expect(200)).body;
    expect(job).toMatchObject({ extIPID: 'console-orders-2026-12-01', submittedBy: 'admin' });
    expect(job.actionVariables).toEqual({ date: '2026-12-01', source: 'api', dryRun: false, maxOrders: 250 });

    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.locator('#main').getByText('409 Conflict: already submitted, nothing new was created.').waitFor();
    expect(await page.locator('.result a').textContent()).toBe(`job ${id}`);
    await shot('submit');

    await page.getByLabel('date (required)').fill('not-a-date');
    await page.getByLabel('extIPID (optional)').fill('');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.locator('#main').getByText('VALIDATION_FAILED').waitFor();
    await page.locator('#main').getByText(/actionVariables\.date/).waitFor();
  });

  it('shows a reader with an API key no control and no submit, and signs out when the key is revoked', async () => {
    const created = (
      await request(t.server).post(t.path('/admin/api-keys')).set(asAdmin()).send({ principal: 'auditor', roles: ['Users'] }).expect(201)
    ).body as { id: number; key: string };
    const reader = await browser.context.newPage();
    try {
      await reader.goto(consoleUrl(`#/jobs/${seeded.ids[0]}`));
      await reader.getByRole('radio', { name: 'API key' }).check();
      await reader.getByRole('textbox', { name: 'API key' }).fill(created.key);
      await reader.getByRole('button', { name: 'Sign in' }).click();
      await reader.getByRole('heading', { name: `Job ${seeded.ids[0]}` }).waitFor();
      expect(await reader.locator('.title-row button').allTextContents()).toEqual(['Refresh']);
      await reader.getByRole('link', { name: 'Contracts' }).click();
      await reader.getByText('Your roles do not grant WORKFLOW').waitFor();
      expect(await reader.getByRole('link', { name: /Submit job/ }).count()).toBe(0);
      await reader.goto(consoleUrl('#/submit?contract=acme-orders&action=import'));
      await reader.getByRole('heading', { name: 'Submit acme-orders / import' }).waitFor();
      await reader.locator('#main').getByText('Your roles do not grant WORKFLOW: you cannot submit jobs.').waitFor();
      expect(await reader.locator('#main form').count()).toBe(0);

      await request(t.server).delete(t.path(`/admin/api-keys/${created.id}`)).set(asAdmin()).expect(204);
      await reader.getByRole('link', { name: 'Jobs', exact: true }).click();
      await reader.getByText('Your credentials are no longer accepted; sign in again.').waitFor();
      expect(await reader.evaluate('sessionStorage.length')).toBe(0);
    } finally {
      await reader.close();
    }
  });

  it('signs in with a bearer token, and signs out', async () => {
    const reader = await browser.context.newPage();
    try {
      await reader.goto(consoleUrl());
      await reader.getByRole('radio', { name: 'Bearer token' }).check();
      const { Authorization } = await bearer({ sub: 'sso-user', roles: ['Users'] });
      await reader.getByRole('textbox', { name: 'Token' }).fill(Authorization.replace('Bearer ', ''));
      await reader.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => reader.locator('#who-name').textContent()).toBe('sso-user (Users)');
      await reader.getByRole('button', { name: 'Sign out' }).click();
      await reader.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(await reader.evaluate('sessionStorage.length')).toBe(0);
    } finally {
      await reader.close();
    }
  });
});
