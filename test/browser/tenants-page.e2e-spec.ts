import type { Browser } from 'playwright-core';
import { launchChromium, openPage, screenshot } from './support/browser.js';
import { ADMIN_TOKEN, callAdminApi, createTenantOnDashboard, type DashboardStack, signIn, startDashboardStack } from './support/dashboard-stack.js';

// The dashboard in Debian's chromium against the real admin app and database: signing in,
// and the tenants page. `npm test` builds the page first.
describe('Dashboard: sign-in and tenants', () => {
  let stack: DashboardStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startDashboardStack(), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  describe('sign-in', () => {
    it('refuses a wrong token at the field and keeps the token out of the URL and the page', async () => {
      const { context, page, problems } = await openPage(browser);
      await page.goto(stack.adminUrl);
      await expectFocused(page, 'Admin token or API key');

      await page.getByLabel('Admin token or API key').fill('not-the-token-at-all');
      await page.keyboard.press('Enter');

      const field = page.getByLabel('Admin token or API key');
      await page.getByText('The token was refused').waitFor();
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(page.url()).not.toContain('not-the-token');
      await screenshot(page, 'sign-in-refused');
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await context.close();
    });

    it('signs in with the root token, keeps it in session storage only, and signs out', async () => {
      const { context, page, problems } = await openPage(browser);

      await signIn(page, stack.adminUrl);

      expect(await page.evaluate(() => Object.values({ ...sessionStorage }))).toContain(ADMIN_TOKEN);
      expect(await page.evaluate(() => Object.values({ ...localStorage }))).toEqual([]);
      expect(page.url()).not.toContain(ADMIN_TOKEN);
      expect(await page.content()).not.toContain(ADMIN_TOKEN);
      // A reload keeps the session (same tab) ...
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Tenants' }).waitFor();
      // ... and signing out forgets the token.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await context.close();
    });
  });

  describe('tenants', () => {
    it('shows the empty state, then creates a tenant and opens its page', async () => {
      const { context, page, problems } = await openPage(browser);
      await signIn(page, stack.adminUrl);
      await page.getByText('No tenants yet.').waitFor();
      await screenshot(page, 'tenants-empty');

      await createTenantOnDashboard(page, 'acme', 'Acme Corporation');

      expect(new URL(page.url()).pathname).toBe('/tenants/acme');
      // As after a page load, focus starts at the new page's heading.
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === 'Acme Corporation');
      await page.getByText('No origins yet').waitFor();
      await page.getByRole('link', { name: 'Tenants', exact: true }).first().click();
      await page.getByRole('link', { name: 'Acme Corporation' }).waitFor();
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await context.close();
    });

    it('shows the API’s reason at each refused field, and a duplicate slug at the slug', async () => {
      const { context, page } = await openPage(browser);
      await signIn(page, stack.adminUrl);
      const form = page.getByRole('region', { name: 'New tenant' });

      await form.getByLabel('Slug', { exact: true }).fill('Not A Slug');
      await form.getByLabel('Hostnames').fill('ok.example.com, https://bad.example.com');
      await form.getByRole('button', { name: 'Create tenant' }).click();

      await form.getByText('must be a lower-case DNS label').waitFor();
      await form.getByText('must not be empty').waitFor();
      await form.getByText('https://bad.example.com: must be a hostname, not a URL').waitFor();
      expect(await form.getByLabel('Slug', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await expectFocused(page, 'Slug');
      await screenshot(page, 'tenant-create-invalid');

      await form.getByLabel('Slug', { exact: true }).fill('acme-dup');
      await form.getByLabel('Hostnames').fill('');
      await form.getByLabel('Name', { exact: true }).fill('First');
      await form.getByRole('button', { name: 'Create tenant' }).click();
      await page.getByRole('heading', { level: 1, name: 'First' }).waitFor();
      await page.goBack();
      await form.getByLabel('Slug', { exact: true }).fill('acme-dup');
      await form.getByLabel('Name', { exact: true }).fill('Second');
      await form.getByRole('button', { name: 'Create tenant' }).click();
      await form.getByText('a tenant with slug acme-dup already exists').waitFor();
      await context.close();
    });

    it('searches tenants by slug or name', async () => {
      const { context, page } = await openPage(browser);
      await signIn(page, stack.adminUrl);
      for (const [slug, name] of [
        ['globex', 'Globex Industries'],
        ['initech', 'Initech'],
      ]) {
        await createTenantOnDashboard(page, slug!, name!);
        await page.goBack();
      }

      await page.getByLabel('Search tenants').fill('glob');

      await page.waitForFunction(() => document.querySelectorAll('[data-testid="tenant-row"]').length === 1);
      await page.getByRole('link', { name: 'Globex Industries' }).waitFor();
      await page.getByLabel('Search tenants').fill('no such tenant');
      await page.getByText('No tenant matches “no such tenant”.').waitFor();
      await context.close();
    });

    it('loads more tenants than fit on one page', async () => {
      for (let n = 0; n < 50; n++) {
        const created = await callAdminApi(stack, 'POST', '/tenants', { slug: `zz-${String(n).padStart(2, '0')}`, name: `Bulk tenant ${n}` });
        expect(created.status).toBe(201);
      }
      const { context, page } = await openPage(browser);
      await signIn(page, stack.adminUrl);
      const rows = page.getByTestId('tenant-row');
      await page.getByRole('button', { name: 'Load more tenants' }).waitFor();
      const total = (await callAdminApi<{ items: unknown[] }>(stack, 'GET', '/tenants?limit=200')).body.items.length;
      expect(await rows.count()).toBe(50);

      await page.getByRole('button', { name: 'Load more tenants' }).click();

      await page.waitForFunction((expected) => document.querySelectorAll('[data-testid="tenant-row"]').length === expected, total);
      expect(await page.getByRole('button', { name: 'Load more tenants' }).count()).toBe(0);
      await context.close();
    });

    it('renders a hostile tenant name as text, never as markup', async () => {
      const { context, page, problems } = await openPage(browser);
      await signIn(page, stack.adminUrl);
      const hostile = '<img src=x onerror=alert(1)>';

      await createTenantOnDashboard(page, 'hostile', hostile);

      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(hostile);
      await page.goBack();
      await page.getByRole('link', { name: hostile }).waitFor();
      expect(await page.locator('main img').count()).toBe(0);
      expect(problems.dialogs).toEqual([]);
      expect(problems.errors).toEqual([]);
      await screenshot(page, 'tenants-hostile-name');
      await context.close();
    });

    it('is readable on a narrow screen: no sideways scrolling, rows stacked', async () => {
      const { context, page, problems } = await openPage(browser, { viewport: { width: 375, height: 740 } });
      await signIn(page, stack.adminUrl);
      await page.getByRole('link', { name: 'Globex Industries' }).waitFor();

      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await screenshot(page, 'tenants-narrow');
      await page.getByRole('link', { name: 'Globex Industries' }).click();
      await page.getByRole('heading', { level: 1, name: 'Globex Industries' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await screenshot(page, 'tenant-narrow');
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await context.close();
    });

    it('says so when a tenant does not exist', async () => {
      const { context, page } = await openPage(browser);
      await signIn(page, stack.adminUrl);

      await page.goto(`${stack.adminUrl}/tenants/nobody-here`);

      await page.getByRole('heading', { level: 1, name: 'No such tenant' }).waitFor();
      await page.getByText('There is no tenant “nobody-here”.').waitFor();
      await context.close();
    });
  });
});

async function expectFocused(page: import('playwright-core').Page, label: string): Promise<void> {
  await page.waitForFunction((name) => {
    const element = document.activeElement;
    if (!(element instanceof HTMLElement) || !element.id) return false;
    return document.querySelector(`label[for="${CSS.escape(element.id)}"]`)?.textContent?.startsWith(name) ?? false;
  }, label);
}
