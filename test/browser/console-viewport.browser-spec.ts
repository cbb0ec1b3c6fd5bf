// Page scripts are passed as strings: the test sources are type-checked without the DOM library.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD } from '../setup/auth';
import { createTestApp, TestApp } from '../setup/create-test-app';
import { launchChromium } from './chromium';
import { SCREENSHOTS, seedJobs, signInBasic } from './console-fixtures';

/** The smallest screen the console is laid out for (docs/console.md, Accessibility). */
const LAPTOP = { width: 1366, height: 768 };

describe('the admin console on a 1366 × 768 screen', () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let seeded: Awaited<ReturnType<typeof seedJobs>>;
  let page: Page;

  const consoleUrl = (hash = '') => `${base}/console${hash}`;
  const shot = (name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: false });
  const scrollY = () => page.evaluate('window.scrollY');
  const focusedId = () => page.evaluate('document.activeElement?.id');

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await createTestApp({ env: { CONTRACTS_FILE: 'example' } });
    base = await t.listen();
    seeded = await seedJobs(t);
    browser = await launchChromium();
  });

  beforeEach(async () => {
    await page?.close();
    page = await browser.context.newPage(); // a new tab: signed out, its session storage empty
    await page.setViewportSize(LAPTOP);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens a deep link at the top after sign-in: the navigation in view, focus on the content', async () => {
    await page.goto(consoleUrl(`#/jobs/${seeded.running}`));
    await signInBasic(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByRole('heading', { name: `Job ${seeded.running}` }).waitFor();
    await expect.poll(focusedId).toBe('main');
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBeGreaterThan(LAPTOP.height);
    expect(await scrollY()).toBe(0);
    const nav = await page.getByRole('navigation', { name: 'Views' }).boundingBox();
    expect(nav?.y).toBeGreaterThanOrEqual(0);
    await shot('deep-link-1366x768');
  });

  it('shows the next view from its top, focus on the content, after following a link far down the list', async () => {
    await page.goto(consoleUrl('#/jobs'));
    await signInBasic(page, 'admin', TEST_ADMIN_PASSWORD);
    const lastLink = page.locator('table.jobs tbody tr:last-child td:first-child a');
    await lastLink.scrollIntoViewIfNeeded();
    expect(await scrollY()).toBeGreaterThan(0);
    const id = await lastLink.textContent();
    await lastLink.click();
    await page.getByRole('heading', { name: `Job ${id}` }).waitFor();
    await expect.poll(focusedId).toBe('main');
    expect(await scrollY()).toBe(0);
  });

  it('skips to the content from the keyboard, staying on the same view', async () => {
    await page.goto(consoleUrl(`#/jobs/${seeded.completed}`));
    await signInBasic(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByRole('heading', { name: `Job ${seeded.completed}` }).waitFor();
    await page.reload(); // so that focus starts from the top of the page
    await page.getByRole('heading', { name: `Job ${seeded.completed}` }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect.poll(focusedId).toBe('main');
    expect(page.url()).toBe(consoleUrl(`#/jobs/${seeded.completed}`));
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('← Jobs');
    expect(await page.getByRole('heading', { name: `Job ${seeded.completed}` }).isVisible()).toBe(true);
  });
});
