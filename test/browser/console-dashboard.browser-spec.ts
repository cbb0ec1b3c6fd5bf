// Page scripts are passed as strings: the test sources are type-checked without the DOM library.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, createUser, TEST_ADMIN_PASSWORD } from '../setup/auth';
import { createTestApp, TestApp } from '../setup/create-test-app';
import { buildJob, createJobs } from '../factories/job.factory';
import { launchChromium } from './chromium';
import { IMPORT_JOBS, INVOICE_JOBS, SCREENSHOTS, seedJobs, signInBasic } from './console-fixtures';

const MINUTE = 60_000;
const HISTORY = 240;
const STATUSES = ['SUBMITTED', 'SUSPENDED', 'RUNNING', 'ERROR', 'ABORTED', 'COMPLETED'];

/** An hour of past jobs, so the per-minute chart has a shape: created 2 to 58 minutes ago, most finished a few minutes later; none running in imports, whose parallelism seedJobs relies on. */
function history(now: number) {
  return Array.from({ length: HISTORY }, (_, i) => {
    const createdAt = new Date(now - (2 + ((i * 37) % 57)) * MINUTE);
    const status = (['COMPLETED', 'COMPLETED', 'COMPLETED', 'ERROR', 'COMPLETED', 'ABORTED', 'RUNNING'] as const)[i % 7];
    const finishedAt = status === 'RUNNING' ? null : new Date(Math.min(now - MINUTE, createdAt.getTime() + (1 + (i % 4)) * MINUTE));
    return buildJob({ status, createdAt, updatedAt: createdAt, finishedAt, queue: ['exports', 'invoices', 'reports'][i % 3], submittedBy: 'admin' });
  });
}

/** The data Chart.js holds for the canvas of a dashboard panel. */
const chartData = (target: Page, panel: string) =>
  target.evaluate(
    `(() => { const chart = Chart.getChart(document.querySelector('section[aria-labelledby="${panel}"] canvas'));
      return { labels: chart.data.labels, datasets: chart.data.datasets.map((set) => ({ label: set.label, data: set.data })) }; })()`,
  ) as Promise<{ labels: string[]; datasets: { label: string; data: number[] }[] }>;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('the console dashboard in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let seeded: Awaited<ReturnType<typeof seedJobs>>;

  const consoleUrl = (hash = '') => `${base}/console${hash}`;
  const shot = (target: Page, name: string) => target.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: false });
  const queue = async (name: string) => (await request(t.server).get(t.path(`/job-manager/queues/${name}`)).set(asAdmin()).expect(200)).body;
  const queueRow = (name: string) => page.locator('table.queues tbody tr', { has: page.getByRole('link', { name, exact: true }) });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await createTestApp({ env: { CONTRACTS_FILE: 'example' } });
    base = await t.listen();
    await createJobs(t, history(Date.now()));
    seeded = await seedJobs(t);
    await request(t.server)
      .put(t.path('/contracts/acme-orders/actions/nightly-import'))
      .set(asAdmin())
      .send({
        trigger: 'TIME',
        queue: 'nightly',
        workflowTemplate: { id: '7', name: 'import-orders', revision: '3' },
        variables: [{ name: 'date', type: 'string', required: true }],
        schedule: { cron: '0 2 * * *', timezone: 'Europe/Paris', actionVariables: { date: 'yesterday' } },
      })
      .expect(201);
    await request(t.server)
      .put(t.path('/job-manager/queues/nightly'))
      .set(asAdmin())
      .send({ status: 'SCHEDULED', timeSlots: [{ from: '22:00', to: '06:00' }], timezone: 'Europe/Paris', description: 'Nightly batch runs' })
      .expect(200);
    browser = await launchChromium();
    page = await browser.context.newPage();
    // Collected from the start, so a chart that needed 'unsafe-eval' or inline styles would show here.
    await page.addInitScript(`window.cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lands an administrator on the dashboard: jobs by status and by queue, charted from the facets, under the strict CSP', async () => {
    await page.goto(consoleUrl());
    await signInBasic(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.locator('#main canvas').count()).toBe(3);
    await page.waitForFunction('document.querySelectorAll("#main canvas").length === 3 && [...document.querySelectorAll("#main canvas")].every((c) => Chart.getChart(c))');

    const { facets } = (await request(t.server).get(t.path('/job-manager/jobs')).query({ facets: 'status,queue', maxItems: '1' }).set(asAdmin()).expect(200)).body;
    const byStatus = await chartData(page, 'by-status-title');
    expect(byStatus.labels).toEqual(STATUSES);
    expect(byStatus.datasets[0].data).toEqual(STATUSES.map((status) => facets.status[status] ?? 0));
    expect(sum(byStatus.datasets[0].data)).toBe(HISTORY + IMPORT_JOBS + INVOICE_JOBS);
    const byQueue = await chartData(page, 'by-queue-title');
    expect(Object.fromEntries(byQueue.labels.map((label, i) => [label, byQueue.datasets[0].data[i]]))).toEqual(facets.queue);
    expect(await page.locator('section[aria-labelledby="by-status-title"] ul.counts a').first().getAttribute('href')).toBe('#/jobs?status=SUBMITTED');

    const box = await page.locator('section[aria-labelledby="by-status-title"] canvas').boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(box?.height).toBeGreaterThan(100);
    expect(await page.evaluate('window.cspViolations')).toEqual([]);
    await shot(page, 'dashboard');
  });

  it('charts jobs submitted and finished per minute over the last hour, from the stats endpoint', async () => {
    const perMinute = await chartData(page, 'per-minute-title');
    expect(perMinute.labels).toHaveLength(60);
    expect(perMinute.datasets.map((set) => set.label)).toEqual(['Submitted', 'Completed', 'Error', 'Aborted']);
    const [submitted, completed, error, aborted] = perMinute.datasets.map((set) => sum(set.data));
    expect(submitted).toBe(HISTORY + IMPORT_JOBS + INVOICE_JOBS);
    const finished = history(Date.now());
    // The seeded jobs add one completion and one failure to the history's.
    expect(completed).toBe(finished.filter((job) => job.status === 'COMPLETED').length + 1);
    expect(error).toBe(finished.filter((job) => job.status === 'ERROR').length + 1);
    expect(aborted).toBe(finished.filter((job) => job.status === 'ABORTED').length);
    await page.locator('#main').getByText(`${HISTORY + IMPORT_JOBS + INVOICE_JOBS} submitted, finished: ${completed} COMPLETED`).waitFor();
  });

  it('lists the queues with their live counts, and disables and enables one', async () => {
    const imports = queueRow('imports');
    await expect.poll(() => imports.locator('td').allTextContents()).toEqual(['ENABLED', '6', '2', '1', `${IMPORT_JOBS - 3}`, '—', 'DisableEdit']);
    expect(await queueRow('nightly').locator('td').nth(5).textContent()).toBe('22:00–06:00 (Europe/Paris)');

    await page.getByRole('button', { name: 'Disable queue imports' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable queue imports?' });
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await page.locator('#main').getByText('Queue imports disabled.').waitFor();
    await imports.locator('.badge', { hasText: 'DISABLED' }).waitFor();
    expect(await queue('imports')).toMatchObject({ status: 'DISABLED', parallelism: 2, description: 'Partner order imports, at most two at a time.' });

    await page.getByRole('button', { name: 'Enable queue imports' }).click();
    await page.locator('#main').getByText('Queue imports enabled.').waitFor();
    await imports.locator('.badge', { hasText: 'ENABLED' }).waitFor();
    expect(await queue('imports')).toMatchObject({ status: 'ENABLED', parallelism: 2 });
  });

  it('edits a queue in a dialog, showing the gateway\'s refusal in it', async () => {
    await page.getByRole('button', { name: 'Edit queue imports' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit queue imports' });
    await dialog.getByLabel('Time zone').fill('Mars/Olympus');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/^timezone: /).waitFor();
    await shot(page, 'dashboard-edit-queue');
    await dialog.getByLabel('Time zone').fill('Europe/Paris');
    await dialog.getByLabel('Parallelism').fill('3');
    await dialog.getByLabel('Time slots').fill('08:00-11:00, 14:00-17:00');
    await dialog.getByLabel('Status').selectOption('SCHEDULED');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('#main').getByText('Queue imports saved.').waitFor();
    expect(await queue('imports')).toMatchObject({
      status: 'SCHEDULED',
      parallelism: 3,
      timezone: 'Europe/Paris',
      timeSlots: [{ from: '08:00', to: '11:00' }, { from: '14:00', to: '17:00' }],
      description: 'Partner order imports, at most two at a time.',
    });
  });

  it('shows a refused change as a missing QUEUES permission', async () => {
    await request(t.server).put(t.path('/admin/permissions/QUEUES')).set(asAdmin()).send({ roles: ['Operators'] }).expect(200);
    try {
      await page.getByRole('button', { name: 'Disable queue imports' }).click();
      await page.getByRole('dialog', { name: 'Disable queue imports?' }).getByRole('button', { name: 'Disable' }).click();
      await page.locator('#main').getByText('Your roles do not grant QUEUES: you may look at the queues but not change them.').waitFor();
      expect((await queue('imports')).status).toBe('SCHEDULED');
    } finally {
      await request(t.server).put(t.path('/admin/permissions/QUEUES')).set(asAdmin()).send({ roles: ['Administrators'] }).expect(200);
    }
  });

  it('lists the schedules with their next fires', async () => {
    await page.reload();
    const row = page.locator('table.schedules tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('th').textContent()).toBe('acme-orders / nightly-import');
    expect(await row.locator('code').textContent()).toBe('0 2 * * *');
    const { schedules } = (await request(t.server).get(t.path('/job-manager/schedules')).set(asAdmin()).expect(200)).body;
    expect(await row.locator('ol.fires time').evaluateAll((times) => times.map((time) => time.getAttribute('datetime')))).toEqual(
      schedules[0].nextFires.slice(0, 3),
    );
    await page.evaluate(`document.getElementById('queues-title').scrollIntoView()`);
    await shot(page, 'dashboard-queues');
  });

  it('shows a reader the dashboard read-only, landing on the jobs', async () => {
    await createUser(t, 'auditor', ['Users']);
    const reader = await browser.context.newPage();
    try {
      await reader.goto(consoleUrl());
      await signInBasic(reader, 'auditor', 'auditor-password-123');
      await reader.getByRole('heading', { name: 'Jobs' }).waitFor();
      await reader.getByRole('link', { name: 'Dashboard' }).click();
      await reader.getByText('Your roles do not grant QUEUES: the queues are shown read-only.').waitFor();
      await reader.locator('table.queues tbody tr').first().waitFor();
      expect(await reader.getByRole('button', { name: /Disable|Enable|Edit/ }).count()).toBe(0);
    } finally {
      await reader.close();
    }
  });

  it('shows a job\'s timeline in the job view', async () => {
    await page.goto(consoleUrl(`#/jobs/${seeded.completed}`));
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    const events = await request(t.server).get(t.path(`/job-manager/jobs/${seeded.completed}/events`)).set(asAdmin());
    if (events.status === 200) {
      const types = events.body.events.map((event: { type: string }) => event.type);
      await expect.poll(() => page.locator('table.timeline tbody tr td:nth-child(2)').allTextContents()).toEqual(types);
    } else {
      await page.locator('#main').getByText('This gateway keeps no timeline of job events.').waitFor();
    }
  });
});
