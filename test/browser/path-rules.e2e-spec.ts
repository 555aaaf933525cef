import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, type PageProblems, screenshot } from './support/browser.js';
import { callAdminApi, type DashboardStack, signIn, startDashboardStack } from './support/dashboard-stack.js';

interface Policy {
  pathRules: object[];
  preflightStatus: number;
  timingAllowOrigin: boolean;
  warnings: string[];
  version: number;
}

// Path rules and the preflight options on the tenant's policy page, in Debian's chromium.
describe('Dashboard: path rules and preflight options', () => {
  let stack: DashboardStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startDashboardStack(), launchChromium()]);
    for (const slug of ['ruled', 'ordered', 'refused', 'warned']) {
      expect((await callAdminApi(stack, 'POST', '/tenants', { slug, name: `The ${slug} tenant` })).status).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function openPolicy(slug: string): Promise<{ page: Page; problems: PageProblems; done: () => Promise<void> }> {
    const { context, page, problems } = await openPage(browser);
    await signIn(page, stack.adminUrl);
    await page.goto(`${stack.adminUrl}/tenants/${slug}/policy`);
    await page.getByRole('heading', { level: 1, name: `The ${slug} tenant` }).waitFor();
    await page.getByText(/Version \d+, changed/).waitFor();
    return { page, problems, done: () => context.close() };
  }
  const rule = (page: Page, n: number) => page.getByRole('listitem', { name: `Path rule ${n}` });

  it('adds path rules with their fields and the preflight options, and the API stores them in order', async () => {
    const { page, problems, done } = await openPolicy('ruled');

    await page.getByRole('button', { name: 'Add a path rule' }).click();
    await rule(page, 1).getByLabel('Path pattern').fill('/public/**');
    await rule(page, 1).getByLabel('Origins on this path').fill('*');
    await rule(page, 1).getByLabel('Methods on this path').fill('GET');
    await rule(page, 1).getByLabel('Max age on this path (seconds)').fill('60');
    await page.getByRole('button', { name: 'Add a path rule' }).click();
    await rule(page, 2).getByLabel('Path pattern').fill('/webhooks/**');
    await rule(page, 2).getByLabel('Turn CORS off on this path').check();
    await page.getByRole('radio', { name: /^200/ }).check();
    await page.getByLabel('Send Timing-Allow-Origin').check();
    await page.getByRole('button', { name: 'Save policy' }).click();

    await page.getByText('Saved as version 2. Gateways apply it within a second.').waitFor();
    const stored = await callAdminApi<Policy>(stack, 'GET', '/tenants/ruled/policy');
    expect(stored.body).toMatchObject({
      pathRules: [
        { path: '/public/**', origins: ['*'], allowedMethods: ['GET'], maxAge: 60 },
        { path: '/webhooks/**', disabled: true },
      ],
      preflightStatus: 200,
      timingAllowOrigin: true,
      version: 2,
    });
    await page.reload();
    await page.getByText('Version 2, changed').waitFor();
    expect(await rule(page, 1).getByLabel('Path pattern').inputValue()).toBe('/public/**');
    expect(await rule(page, 2).getByLabel('Turn CORS off on this path').isChecked()).toBe(true);
    await screenshot(page, 'path-rules-saved');
    expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    await done();
  });

  it('reorders and removes rules', async () => {
    const put = await callAdminApi(stack, 'PATCH', '/tenants/ordered/policy', { pathRules: [{ path: '/a' }, { path: '/b' }, { path: '/c' }] }, { headers: { 'if-match': '"1"' } });
    expect(put.status).toBe(200);
    const { page, done } = await openPolicy('ordered');

    await rule(page, 3).getByRole('button', { name: 'Move up' }).click();
    await rule(page, 1).getByRole('button', { name: 'Remove' }).click();
    expect(await rule(page, 1).getByLabel('Path pattern').inputValue()).toBe('/c');
    await page.getByRole('button', { name: 'Save policy' }).click();

    await page.getByText('Saved as version 3.', { exact: false }).waitFor();
    expect((await callAdminApi<Policy>(stack, 'GET', '/tenants/ordered/policy')).body.pathRules).toEqual([{ path: '/c' }, { path: '/b' }]);
    await done();
  });

  it('shows the API’s reasons at the refused rule’s fields', async () => {
    const { page, done } = await openPolicy('refused');

    await page.getByRole('button', { name: 'Add a path rule' }).click();
    await rule(page, 1).getByLabel('Path pattern').fill('/a/**/b');
    await rule(page, 1).getByLabel('Origins on this path').fill('ftp://files.example');
    await page.getByRole('button', { name: 'Save policy' }).click();

    await rule(page, 1).getByText('** is allowed only as the last segment').waitFor();
    expect(await rule(page, 1).getByLabel('Path pattern').getAttribute('aria-invalid')).toBe('true');
    expect(await rule(page, 1).getByLabel('Origins on this path').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'path-rules-invalid');
    expect((await callAdminApi<Policy>(stack, 'GET', '/tenants/refused/policy')).body.version).toBe(1);
    await done();
  });

  it('shows the policy’s warnings, such as a max age above Chromium’s cap', async () => {
    const { page, done } = await openPolicy('warned');

    await page.getByLabel('Max age (seconds)').fill('86400');
    await page.getByRole('button', { name: 'Save policy' }).click();

    await page.getByText('Saved as version 2.', { exact: false }).waitFor();
    await page.getByRole('status', { name: 'Policy warnings' }).getByText(/maxAge 86400 is above 7200: Chromium/).waitFor();
    expect((await callAdminApi<Policy>(stack, 'GET', '/tenants/warned/policy')).body.warnings).toHaveLength(1);
    await screenshot(page, 'policy-warnings');
    await done();
  });
});
