/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its DOM types.
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot } from './support/browser.js';
import { ADMIN_TOKEN, type DashboardStack, startDashboardStack } from './support/dashboard-stack.js';

// Swagger UI at /docs, in Debian's chromium, under the CSP the dashboard has.
describe('Swagger UI at /docs', () => {
  let stack: DashboardStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startDashboardStack(), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** Enters the root token in Swagger UI's Authorize dialog, as a person would. */
  async function authorise(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    await page.locator('.modal-ux input').fill(ADMIN_TOKEN);
    await page.locator('.modal-ux').getByRole('button', { name: 'Apply credentials' }).click();
  }

  it('renders the operations under its CSP and keeps the token out of browser storage after a call', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      const response = await page.goto(`${stack.adminUrl}/docs`);
      expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      const listTenants = page.locator('.opblock-get', {
        has: page.locator('.opblock-summary-path[data-path="/api/v1/tenants"]'),
      });
      await listTenants.waitFor();
      expect(await page.locator('.opblock').count()).toBeGreaterThan(15);

      await authorise(page);
      await page.locator('.modal-ux').getByRole('button', { name: 'Close' }).first().click();
      await listTenants.locator('.opblock-summary').click();
      await listTenants.getByRole('button', { name: 'Try it out' }).click();
      await listTenants.getByRole('button', { name: 'Execute' }).click();
      await listTenants.locator('.live-responses-table .response-col_status', { hasText: '200' }).waitFor();
      await screenshot(page, 'docs-after-call');

      const stored = await page.evaluate(() =>
        JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie]),
      );
      expect(stored).not.toContain(ADMIN_TOKEN);
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    } finally {
      await context.close();
    }
  });

  it('forgets the token on reload', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(`${stack.adminUrl}/docs`);
      await authorise(page);
      await page.locator('.modal-ux').getByRole('button', { name: 'Remove authorization' }).waitFor();

      await page.reload();
      await page.getByRole('button', { name: 'Authorize' }).first().click();

      await page.locator('.modal-ux input').waitFor();
      expect(await page.locator('.modal-ux').getByRole('button', { name: 'Remove authorization' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
