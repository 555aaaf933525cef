import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, type PageProblems, screenshot } from './support/browser.js';
import { callAdminApi, type DashboardStack, signIn, startDashboardStack, tabTo } from './support/dashboard-stack.js';

// A tenant's origins and the origin tester, in Debian's chromium against the real admin app.
describe('Dashboard: origins and the origin tester', () => {
  let stack: DashboardStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startDashboardStack(), launchChromium()]);
    for (const slug of ['shop', 'bulk', 'tester', 'keys-only']) {
      const created = await callAdminApi(stack, 'POST', '/tenants', { slug, name: `The ${slug} tenant` });
      expect(created.status).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function openTenant(slug: string, section = ''): Promise<{ page: Page; problems: PageProblems; done: () => Promise<void> }> {
    const { context, page, problems } = await openPage(browser);
    await signIn(page, stack.adminUrl);
    await page.goto(`${stack.adminUrl}/tenants/${slug}${section}`);
    await page.getByRole('heading', { level: 1, name: `The ${slug} tenant` }).waitFor();
    return { page, problems, done: () => context.close() };
  }

  const addForm = (page: Page) => page.getByRole('form', { name: 'Add an origin' });

  async function addOrigin(page: Page, value: string, kind: 'origin' | 'regex' = 'origin'): Promise<void> {
    await addForm(page).getByLabel('Kind').selectOption(kind);
    await addForm(page).getByLabel(kind === 'regex' ? 'Pattern' : 'Origin', { exact: true }).fill(value);
    await addForm(page).getByRole('button', { name: 'Add origin' }).click();
  }

  const ruleValues = (page: Page) => page.locator('[data-testid="origin-rule"] .rule-value').allTextContents();

  describe('adding', () => {
    it('adds an origin and shows the normalised rule it stored', async () => {
      const { page, problems, done } = await openTenant('shop');
      await page.getByText('No origins yet').waitFor();

      await addOrigin(page, 'HTTPS://App.Example.com:443/');

      await page.getByText('Added https://app.example.com (you typed HTTPS://App.Example.com:443/; this is its normalised form).').waitFor();
      expect(await ruleValues(page)).toEqual(['https://app.example.com']);
      expect(await addForm(page).getByLabel('Origin', { exact: true }).inputValue()).toBe('');
      await addOrigin(page, 'https://*.partners.example.com');
      await page.getByText('Added https://*.partners.example.com.').waitFor();
      expect(await page.locator('[data-testid="origin-rule"] .badge').allTextContents()).toEqual(['exact', 'wildcard']);
      await screenshot(page, 'origins-added');
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await done();
    });

    it.each([
      ['origin', 'https://example.com/path', /must not contain a path/],
      ['origin', 'ftp://files.example.com', /scheme must be http or https/],
      ['origin', 'https://app.*.example.com', /wildcard must be the whole leftmost label/],
      ['regex', 'https://.*\\.example\\.com', /must be anchored/],
    ] as const)('shows the API’s reason at the field for the %s %s', async (kind, value, expected) => {
      // What the API itself says about this input: the page must show exactly that.
      const refused = await callAdminApi<{ invalidFields: { field: string; reason: string }[] }>(
        stack,
        'POST',
        '/tenants/shop/origins',
        kind === 'regex' ? { pattern: value, type: 'regex' } : { origin: value },
      );
      expect(refused.status).toBe(400);
      const reason = refused.body.invalidFields[0]!.reason;
      expect(reason).toMatch(expected);
      const { page, done } = await openTenant('shop');

      await addOrigin(page, value, kind);

      const field = addForm(page).getByLabel(kind === 'regex' ? 'Pattern' : 'Origin', { exact: true });
      await addForm(page).locator('.field-error').getByText(reason, { exact: true }).waitFor();
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      // The reason is the field's description, so a screen reader reads it with the field.
      const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
      expect(await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).toBe(reason);
      expect(await field.inputValue()).toBe(value);
      if (kind === 'origin' && value.endsWith('/path')) await screenshot(page, 'origin-invalid');
      // Editing the value clears the stale reason.
      await field.fill(`${value}x`);
      expect(await field.getAttribute('aria-invalid')).toBeNull();
      await done();
    });

    it('says at the field that an origin is already allowed', async () => {
      const { page, done } = await openTenant('shop');

      await addOrigin(page, 'https://app.example.com');

      await addForm(page).locator('.field-error').waitFor();
      expect(await addForm(page).locator('.field-error').textContent()).toMatch(/already/);
      await done();
    });
  });

  describe('removing', () => {
    it('removes an origin only after confirmation', async () => {
      const { page, done } = await openTenant('shop');
      await page.getByRole('button', { name: 'Remove https://*.partners.example.com' }).click();
      await page.getByText('Pages on it can no longer call this tenant’s API.').waitFor();
      await screenshot(page, 'origin-remove-confirm');

      await page.getByRole('button', { name: 'Cancel' }).click();
      expect(await ruleValues(page)).toContain('https://*.partners.example.com');
      await page.getByRole('button', { name: 'Remove https://*.partners.example.com' }).click();
      await page.getByRole('button', { name: 'Yes, remove' }).click();

      await page.getByText('Removed https://*.partners.example.com.').waitFor();
      expect(await ruleValues(page)).toEqual(['https://app.example.com']);
      const stored = await callAdminApi<{ items: { value: string }[] }>(stack, 'GET', '/tenants/shop/origins');
      expect(stored.body.items.map((rule) => rule.value)).toEqual(['https://app.example.com']);
      await done();
    });
  });

  describe('bulk replace', () => {
    it('names the refused line, changes nothing, then replaces the whole list once fixed', async () => {
      await callAdminApi(stack, 'POST', '/tenants/bulk/origins', { origin: 'https://old.example.com' });
      const { page, done } = await openTenant('bulk');
      await page.getByRole('button', { name: 'Edit as a list…' }).click();
      const text = page.getByLabel('Origins, one per line');
      expect(await text.inputValue()).toBe('https://old.example.com');

      await text.fill(['https://a.example.com', '# staging', 'https://b.example.com/path', '', '^https://pr-[0-9]+\\.example\\.com$'].join('\n'));
      await page.getByRole('button', { name: 'Replace list…' }).click();
      await page.getByRole('button', { name: 'Yes, replace the list' }).click();

      await page.getByText('Line 3 (https://b.example.com/path): origin must not contain a path').waitFor();
      await screenshot(page, 'origins-bulk-refused');
      expect(await ruleValues(page)).toEqual(['https://old.example.com']);

      await text.fill(['https://a.example.com', 'https://b.example.com', '^https://pr-[0-9]+\\.example\\.com$'].join('\n'));
      await page.getByRole('button', { name: 'Replace list…' }).click();
      await page.getByText('Replace the current origin with these 3 lines? Origins not in the list lose access.').waitFor();
      await page.getByRole('button', { name: 'Yes, replace the list' }).click();

      await page.getByText('Replaced the list: 3 origins allowed now.').waitFor();
      expect((await ruleValues(page)).sort()).toEqual(['^https://pr-[0-9]+\\.example\\.com$', 'https://a.example.com', 'https://b.example.com']);
      await screenshot(page, 'origins-bulk-replaced');
      await done();
    });
  });

  describe('the origin tester', () => {
    it('shows the decision, the matched rule, the reasons and the headers the gateway would send', async () => {
      await callAdminApi(stack, 'POST', '/tenants/tester/origins', { origin: 'https://*.example.com' });
      const { page, problems, done } = await openTenant('tester', '/check');
      const result = page.getByTestId('check-result');

      await page.getByLabel('Origin of the page').fill('https://app.example.com');
      await page.getByLabel('Method').fill('POST');
      await page.getByLabel('Request headers (optional)').fill('Content-Type');
      await page.getByRole('button', { name: 'Check' }).click();

      await result.getByRole('heading', { name: 'Allowed' }).waitFor();
      expect(await result.locator('dd').first().textContent()).toContain('https://*.example.com');
      await result.getByText('origin https://app.example.com matched rule https://*.example.com').waitFor();
      const headers = await result.locator('tbody tr').allTextContents();
      expect(headers).toContain('access-control-allow-originhttps://app.example.com');
      await screenshot(page, 'check-allowed');

      await page.getByLabel('Origin of the page').fill('https://evil.example.org');
      await page.getByLabel('Method').fill('PUT');
      await page.getByRole('button', { name: 'Check' }).click();

      await result.getByRole('heading', { name: 'Refused' }).waitFor();
      expect(await result.locator('dd').first().textContent()).toBe('none');
      expect((await result.locator('.reasons li').allTextContents()).join(' ')).toContain('https://evil.example.org');
      await result.getByText('No Access-Control-* headers', { exact: false }).waitFor();
      expect(await result.locator('tbody tr td:first-child').allTextContents()).toEqual(['vary']);
      await screenshot(page, 'check-refused');
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      await done();
    });

    it('shows the API’s reason at the field for a malformed method', async () => {
      const { page, done } = await openTenant('tester', '/check');

      await page.getByLabel('Origin of the page').fill('https://app.example.com');
      await page.getByLabel('Method').fill('BAD METHOD');
      await page.getByRole('button', { name: 'Check' }).click();

      await page.getByText('is not a valid HTTP method').waitFor();
      expect(await page.getByLabel('Method').getAttribute('aria-invalid')).toBe('true');
      await done();
    });
  });

  describe('with the keyboard only', () => {
    it('adds and removes an origin', async () => {
      const { page, done } = await openTenant('keys-only');

      await tabTo(page, 'Origin');
      await page.keyboard.type('https://keyboard.example.com');
      await page.keyboard.press('Enter');
      await page.getByText('Added https://keyboard.example.com.').waitFor();
      // Focus stays in the field, ready for the next origin.
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('origin');

      await tabTo(page, 'Remove https://keyboard.example.com');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.textContent === 'Yes, remove');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Remove https://keyboard.example.com');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');

      await page.getByText('Removed https://keyboard.example.com.').waitFor();
      await done();
    });
  });
});
