import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, type PageProblems, screenshot } from './support/browser.js';
import { callAdminApi, type DashboardStack, signIn, startDashboardStack } from './support/dashboard-stack.js';

// Expiring origins with notes, and the tenant's own settings (edit, delete), in Debian's chromium.
describe('Dashboard: expiring origins and tenant settings', () => {
  let stack: DashboardStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startDashboardStack(), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function openTenant(slug: string, section: string): Promise<{ page: Page; problems: PageProblems; done: () => Promise<void> }> {
    expect((await callAdminApi(stack, 'POST', '/tenants', { slug, name: `The ${slug} tenant` })).status).toBe(201);
    const { context, page, problems } = await openPage(browser);
    await signIn(page, stack.adminUrl);
    await page.goto(`${stack.adminUrl}/tenants/${slug}${section}`);
    await page.getByRole('heading', { level: 1, name: `The ${slug} tenant` }).waitFor();
    return { page, problems, done: () => context.close() };
  }

  /** `YYYY-MM-DD`, `days` from today (the page's time zone is UTC). */
  const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  describe('expiring origins', () => {
    it('adds an origin expiring on a chosen day with a note, shown as "expires in 3 days"', async () => {
      const { page, problems, done } = await openTenant('preview', '');
      const form = page.getByRole('form', { name: 'Add an origin' });

      await form.getByLabel('Origin', { exact: true }).fill('https://pr-482.preview.example.com');
      await form.getByLabel('Expires on').fill(dayFromNow(3));
      await form.getByLabel('Note').fill('PR #482');
      await form.getByRole('button', { name: 'Add origin' }).click();

      const rule = page.locator('[data-testid="origin-rule"]');
      await rule.getByText('expires in 3 days').waitFor();
      expect(await rule.getByTestId('origin-note').textContent()).toBe('PR #482');
      const [stored] = (
        await callAdminApi<{ items: { expiresAt: string; note: string }[] }>(stack, 'GET', '/tenants/preview/origins')
      ).body.items;
      expect(stored).toMatchObject({ expiresAt: `${dayFromNow(3)}T23:59:59.999Z`, note: 'PR #482' });
      expect(await form.getByLabel('Expires on').inputValue()).toBe('');
      await screenshot(page, 'origins-expiring');
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await done();
    });

    it('shows the API’s reason at the date field for a day in the past', async () => {
      const { page, done } = await openTenant('past', '');
      const form = page.getByRole('form', { name: 'Add an origin' });

      await form.getByLabel('Origin', { exact: true }).fill('https://old.example.com');
      await form.getByLabel('Expires on').fill(dayFromNow(-2));
      await form.getByRole('button', { name: 'Add origin' }).click();

      await form.locator('.field-error').getByText('must be in the future', { exact: true }).waitFor();
      expect(await form.getByLabel('Expires on').getAttribute('aria-invalid')).toBe('true');
      await done();
    });

    it('shows a rule whose time has passed as expired', async () => {
      const { page, done } = await openTenant('lapsed', '');
      const added = await callAdminApi(stack, 'POST', '/tenants/lapsed/origins', {
        origin: 'https://gone.example.com',
        expiresAt: new Date(Date.now() + 500).toISOString(),
      });
      expect(added.status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 700));

      await page.reload();

      await page.locator('[data-testid="origin-expiry"]').getByText(/^expired .* ago$/).waitFor();
      expect(await page.locator('[data-testid="origin-rule"]').getAttribute('class')).toContain('rule-expired');
      await done();
    });
  });

  describe('settings', () => {
    it('changes the name, hostnames and upstream', async () => {
      const { page, problems, done } = await openTenant('edited', '/settings');
      const form = page.getByRole('form', { name: 'Edit the tenant' });

      await form.getByLabel('Name', { exact: true }).fill('Edited Inc.');
      await form.getByLabel('Hostnames').fill('api.edited.example, api.edited.test');
      await form.getByLabel('Upstream URL').fill('https://backend.edited.example');
      await form.getByRole('button', { name: 'Save tenant' }).click();

      await page.getByText('Saved. Gateways route by the new settings within a second.').waitFor();
      await page.getByRole('heading', { level: 1, name: 'Edited Inc.' }).waitFor();
      expect((await callAdminApi(stack, 'GET', '/tenants/edited')).body).toMatchObject({
        name: 'Edited Inc.',
        hostnames: ['api.edited.example', 'api.edited.test'],
        upstreamUrl: 'https://backend.edited.example',
      });
      await form.getByLabel('Upstream URL').fill('');
      await form.getByRole('button', { name: 'Save tenant' }).click();
      await page.locator('.facts').getByText('echo handler').waitFor();
      await screenshot(page, 'tenant-settings');
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await done();
    });

    it('shows the API’s reason at the field it refused', async () => {
      const { page, done } = await openTenant('refused', '/settings');
      const form = page.getByRole('form', { name: 'Edit the tenant' });

      await form.getByLabel('Hostnames').fill('127.0.0.1');
      await form.getByRole('button', { name: 'Save tenant' }).click();

      await form.locator('.field-error').getByText(/^127\.0\.0\.1: is an IP address/).waitFor();
      expect(await form.getByLabel('Hostnames').getAttribute('aria-invalid')).toBe('true');
      await done();
    });

    it('deletes the tenant only once its slug is typed', async () => {
      const { page, problems, done } = await openTenant('doomed', '/settings');
      const form = page.getByRole('form', { name: 'Delete the tenant' });
      const button = form.getByRole('button', { name: 'Delete tenant' });

      await form.getByLabel('Type doomed to confirm').fill('doome');
      expect(await button.isDisabled()).toBe(true);
      await form.getByLabel('Type doomed to confirm').fill('doomed');
      await button.click();

      await page.getByRole('heading', { level: 1, name: 'Tenants' }).waitFor();
      await page.getByText('Deleted the tenant doomed.').waitFor();
      expect((await callAdminApi(stack, 'GET', '/tenants/doomed')).status).toBe(404);
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await done();
    });
  });
});
