import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, type PageProblems, screenshot } from './support/browser.js';
import { callAdminApi, type DashboardStack, signIn, startDashboardStack } from './support/dashboard-stack.js';

interface Policy {
  allowedMethods: string[];
  allowedHeaders: string[];
  maxAge: number;
  mode: string;
  version: number;
}

// A tenant's policy, audit log and API keys, in Debian's chromium against the real admin app.
describe('Dashboard: policy, audit log and API keys', () => {
  let stack: DashboardStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startDashboardStack(), launchChromium()]);
    for (const slug of ['policy', 'race', 'audited', 'keyed']) {
      expect((await callAdminApi(stack, 'POST', '/tenants', { slug, name: `The ${slug} tenant` })).status).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function openTenant(slug: string, section: string, token?: string): Promise<{ page: Page; problems: PageProblems; done: () => Promise<void> }> {
    const { context, page, problems } = await openPage(browser);
    if (token === undefined) await signIn(page, stack.adminUrl);
    else {
      await page.goto(stack.adminUrl);
      await page.getByLabel('Admin token or API key').fill(token);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Tenants' }).waitFor();
    }
    await page.goto(`${stack.adminUrl}/tenants/${slug}${section}`);
    await page.getByRole('heading', { level: 1, name: `The ${slug} tenant` }).waitFor();
    return { page, problems, done: () => context.close() };
  }

  describe('policy', () => {
    it('edits methods, headers, max age and mode, and the API stores them', async () => {
      const { page, problems, done } = await openTenant('policy', '/policy');
      await page.getByText('Version 1, changed').waitFor();
      await screenshot(page, 'policy-before');

      await page.getByRole('checkbox', { name: 'PUT' }).check();
      await page.getByRole('checkbox', { name: 'DELETE' }).check();
      await page.getByLabel('Allowed request headers').fill('Content-Type, X-Api-Version');
      await page.getByLabel('Exposed response headers').fill('X-Request-Id');
      await page.getByLabel('Max age (seconds)').fill('120');
      await page.getByRole('radio', { name: /Report only/ }).check();
      await page.getByText('Unsaved changes').waitFor();
      await page.getByRole('button', { name: 'Save policy' }).click();

      await page.getByText('Saved as version 2. Gateways apply it within a second.').waitFor();
      const stored = await callAdminApi<Policy>(stack, 'GET', '/tenants/policy/policy');
      expect(stored.body).toMatchObject({
        allowedMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
        allowedHeaders: ['Content-Type', 'X-Api-Version'],
        maxAge: 120,
        mode: 'report-only',
        version: 2,
      });
      await page.reload();
      await page.getByText('Version 2, changed').waitFor();
      expect(await page.getByLabel('Allowed request headers').inputValue()).toBe('Content-Type, X-Api-Version');
      expect(await page.getByRole('checkbox', { name: 'DELETE' }).isChecked()).toBe(true);
      await screenshot(page, 'policy-saved');
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await done();
    });

    it('shows the API’s reasons at the refused fields', async () => {
      const { page, done } = await openTenant('policy', '/policy');

      await page.getByLabel('Allowed request headers').fill('Content-Type, X@Bad');
      await page.getByLabel('Max age (seconds)').fill('-5');
      await page.getByRole('button', { name: 'Save policy' }).click();

      await page.getByText('X@Bad: is not a valid header name').waitFor();
      await page.getByText('must be at least 0').waitFor();
      expect(await page.getByLabel('Allowed request headers').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Max age (seconds)').getAttribute('aria-invalid')).toBe('true');
      await screenshot(page, 'policy-invalid');
      expect((await callAdminApi<Policy>(stack, 'GET', '/tenants/policy/policy')).body.version).toBe(2);
      await done();
    });

    it('says clearly when someone else changed the policy meanwhile (412), and loads their version', async () => {
      const { page, done } = await openTenant('race', '/policy');
      await page.getByText('Version 1, changed').waitFor();
      // Another administrator saves first.
      const theirs = await callAdminApi(stack, 'PATCH', '/tenants/race/policy', { maxAge: 60 }, { headers: { 'if-match': '"1"' } });
      expect(theirs.status).toBe(200);

      await page.getByLabel('Max age (seconds)').fill('900');
      await page.getByRole('button', { name: 'Save policy' }).click();

      await page.getByText('Someone else changed this policy after you opened it.').waitFor();
      await screenshot(page, 'policy-conflict');
      expect((await callAdminApi<Policy>(stack, 'GET', '/tenants/race/policy')).body.maxAge).toBe(60);
      await page.getByRole('button', { name: 'Load the latest version' }).click();
      await page.getByText('Version 2, changed').waitFor();
      expect(await page.getByLabel('Max age (seconds)').inputValue()).toBe('60');
      await page.getByLabel('Max age (seconds)').fill('900');
      await page.getByRole('button', { name: 'Save policy' }).click();
      await page.getByText('Saved as version 3.', { exact: false }).waitFor();
      await done();
    });
  });

  describe('audit log', () => {
    it('lists who changed what, newest first, with the before and after', async () => {
      await callAdminApi(stack, 'POST', '/tenants/audited/origins', { origin: 'https://audited.example.com' });
      await callAdminApi(stack, 'PATCH', '/tenants/audited/policy', { maxAge: 30 }, { headers: { 'if-match': '"1"' } });
      const { page, problems, done } = await openTenant('audited', '/audit');

      const entries = page.getByTestId('audit-entry');
      await entries.first().waitFor();
      const lines = await entries.locator('.audit-line').allTextContents();
      expect(lines[0]).toBe('Policy changedmaxAge: 600 → 30');
      expect(lines[1]).toBe('Origin addedhttps://audited.example.com');
      expect(lines.at(-1)).toMatch(/^Tenant created/);
      expect(await entries.first().textContent()).toContain('by root');
      await entries.first().getByText('Before and after').click();
      expect(await entries.first().locator('pre').allTextContents()).toEqual([
        expect.stringContaining('"maxAge": 600'),
        expect.stringContaining('"maxAge": 30'),
      ]);
      await screenshot(page, 'audit-log');
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await done();
    });

    it('shows a change made on the dashboard', async () => {
      const { page, done } = await openTenant('audited', '');
      await page.getByLabel('Origin', { exact: true }).fill('https://from-the-dashboard.example.com');
      await page.getByRole('button', { name: 'Add origin' }).click();
      await page.getByText('Added https://from-the-dashboard.example.com.').waitFor();

      await page.getByRole('link', { name: 'Audit log' }).click();

      await page.getByTestId('audit-entry').first().locator('.audit-summary').getByText('https://from-the-dashboard.example.com').waitFor();
      expect(await page.getByTestId('audit-entry').first().locator('.audit-action').textContent()).toBe('Origin added');
      await done();
    });
  });

  describe('API keys', () => {
    it('creates a key, shows its secret once, and revokes it after confirmation', async () => {
      const { page, problems, done } = await openTenant('keyed', '/keys');
      await page.getByText('No API keys yet.').waitFor();

      await page.getByLabel('What is it for?').fill('CI deploy');
      await page.getByRole('button', { name: 'Create key' }).click();

      const secretField = page.getByLabel('Secret', { exact: true });
      await secretField.waitFor();
      const secret = await secretField.inputValue();
      expect(secret).toMatch(/^cmk_/);
      await screenshot(page, 'api-key-created');
      // The secret works, for this tenant only.
      expect((await callAdminApi(stack, 'GET', '/tenants/keyed', undefined, { token: secret })).status).toBe(200);
      expect((await callAdminApi(stack, 'GET', '/tenants/policy', undefined, { token: secret })).status).toBe(403);
      await page.getByRole('button', { name: 'I have copied it' }).click();
      expect(await page.content()).not.toContain(secret);
      await page.getByTestId('api-key').getByText('active').waitFor();

      await page.getByRole('button', { name: 'Revoke CI deploy' }).click();
      await page.getByRole('button', { name: 'Yes, revoke' }).click();

      await page.getByText('Revoked “CI deploy”. It no longer works.').waitFor();
      await page.getByTestId('api-key').getByText('revoked', { exact: true }).waitFor();
      expect((await callAdminApi(stack, 'GET', '/tenants/keyed', undefined, { token: secret })).status).toBe(401);
      await screenshot(page, 'api-key-revoked');
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await done();
    });

    it('lets a tenant key sign in and manage its own tenant only', async () => {
      const created = await callAdminApi<{ secret: string }>(stack, 'POST', '/tenants/keyed/api-keys', { name: 'tenant team' });
      const { context, page } = await openPage(browser);
      await page.goto(stack.adminUrl);
      await page.getByLabel('Admin token or API key').fill(created.body.secret);
      await page.keyboard.press('Enter');

      await page.getByRole('heading', { name: 'Open your tenant' }).waitFor();
      await page.getByLabel('Tenant slug').fill('keyed');
      await page.getByRole('button', { name: 'Open' }).click();
      await page.getByRole('heading', { level: 1, name: 'The keyed tenant' }).waitFor();
      await page.getByText('No origins yet').waitFor();

      await page.goto(`${stack.adminUrl}/tenants/policy`);
      await page.getByText('this API key may only manage tenant keyed').waitFor();
      await context.close();
    });

    it('signs the tab out, saying why, when its key is revoked meanwhile', async () => {
      const created = await callAdminApi<{ id: string; secret: string }>(stack, 'POST', '/tenants/keyed/api-keys', { name: 'short-lived' });
      const { page, done } = await openTenant('keyed', '', created.body.secret);
      // The page's own requests must be over before the revocation, or one of them, not the
      // click below, is what meets the 401 (and the link is gone before it is clicked).
      await page.getByText('No origins yet').waitFor();
      expect((await callAdminApi(stack, 'DELETE', `/tenants/keyed/api-keys/${created.body.id}`)).status).toBe(204);

      await page.getByRole('link', { name: 'Policy' }).click();

      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByText('The API no longer accepts your token').waitFor();
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
      await done();
    });
  });
});
