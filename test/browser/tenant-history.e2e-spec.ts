import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, type PageProblems, screenshot } from './support/browser.js';
import { callAdminApi, type DashboardStack, signIn, startDashboardStack } from './support/dashboard-stack.js';

// The History tab: find a bad change, see what undoing it does, undo it; in Debian's chromium against the real admin app.
describe('Dashboard: history, diff and restore', () => {
  let stack: DashboardStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startDashboardStack(), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** A tenant whose version 3 is good and version 4 a bad bulk replace. */
  async function tenantWithBadChange(slug: string): Promise<void> {
    expect((await callAdminApi(stack, 'POST', '/tenants', { slug, name: `The ${slug} tenant` })).status).toBe(201);
    for (const origin of ['https://app.example.com', 'https://admin.example.com']) {
      expect((await callAdminApi(stack, 'POST', `/tenants/${slug}/origins`, { origin })).status).toBe(201);
    }
    const bad = await callAdminApi(stack, 'PUT', `/tenants/${slug}/origins`, { origins: [{ origin: 'https://new-frontend.example.com' }] });
    expect(bad.status).toBe(200);
  }

  async function openHistory(slug: string): Promise<{ page: Page; problems: PageProblems; done: () => Promise<void> }> {
    const { context, page, problems } = await openPage(browser);
    await signIn(page, stack.adminUrl);
    await page.goto(`${stack.adminUrl}/tenants/${slug}`);
    await page.getByRole('heading', { level: 1, name: `The ${slug} tenant` }).waitFor();
    await page.getByRole('navigation', { name: 'Tenant sections' }).getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    return { page, problems, done: () => context.close() };
  }

  const versionLines = (page: Page) => page.locator('[data-testid="version"] .version-summary').allTextContents();
  const originValues = async (slug: string) =>
    (await callAdminApi<{ items: { value: string }[] }>(stack, 'GET', `/tenants/${slug}/origins`)).body.items.map((o) => o.value).sort();

  it('lists the versions newest first and compares any two', async () => {
    await tenantWithBadChange('compare');
    const { page, problems, done } = await openHistory('compare');

    await page.locator('[data-testid="version"]').nth(3).waitFor();
    expect(await versionLines(page)).toEqual([
      'replaced the origins: 1 added, 2 removed (1 in all)',
      'added origin https://admin.example.com',
      'added origin https://app.example.com',
      'tenant created',
    ]);
    const compare = page.getByRole('form', { name: 'Compare two versions' });
    await compare.getByLabel('From').selectOption('1');
    await compare.getByLabel('To').selectOption('3');
    await compare.getByRole('button', { name: 'Compare' }).click();

    const diff = page.getByRole('list', { name: 'Origins changed' });
    await diff.waitFor();
    expect(await diff.getByRole('listitem').allTextContents()).toEqual(['+ https://app.example.com', '+ https://admin.example.com']);
    await screenshot(page, 'history-compare');
    expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    await done();
  });

  it('restores an earlier version after showing what restoring it changes', async () => {
    await tenantWithBadChange('undo');
    const { page, problems, done } = await openHistory('undo');

    await page.getByRole('button', { name: 'Restore version 3…' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm restoring version 3' });
    await confirm.getByText('Going from version 4 back to it changes:').waitFor();
    expect(await confirm.getByRole('list', { name: 'Origins changed' }).getByRole('listitem').allTextContents()).toEqual([
      '+ https://app.example.com',
      '+ https://admin.example.com',
      '− https://new-frontend.example.com',
    ]);
    await screenshot(page, 'history-restore-confirm');
    await confirm.getByRole('button', { name: 'Yes, restore version 3' }).click();

    await page.getByText('Restored version 3 as version 5. Every gateway applies it within a second.').waitFor();
    await page.getByText('restored version 3', { exact: true }).waitFor();
    expect((await versionLines(page))[0]).toBe('restored version 3');
    expect(await originValues('undo')).toEqual(['https://admin.example.com', 'https://app.example.com']);
    expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    await done();
  });

  it('refuses a restore based on a version someone else changed meanwhile, and shows the history as it is', async () => {
    await tenantWithBadChange('raced');
    const { page, done } = await openHistory('raced');
    await page.getByRole('button', { name: 'Restore version 2…' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm restoring version 2' });
    await confirm.waitFor();
    // Another administrator changes the configuration while this one reads the diff.
    expect((await callAdminApi(stack, 'POST', '/tenants/raced/origins', { origin: 'https://other.example.com' })).status).toBe(201);

    await confirm.getByRole('button', { name: 'Yes, restore version 2' }).click();

    await page.getByText('the configuration is at version 5; look at its history again before restoring').waitFor();
    await page.getByText('added origin https://other.example.com', { exact: true }).waitFor();
    expect(await originValues('raced')).toEqual(['https://new-frontend.example.com', 'https://other.example.com']);
    await done();
  });

  it('cancels with Escape, restoring nothing', async () => {
    await tenantWithBadChange('escape');
    const { page, done } = await openHistory('escape');
    await page.getByRole('button', { name: 'Restore version 1…' }).click();
    await page.getByRole('group', { name: 'Confirm restoring version 1' }).waitFor();

    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Restore version 1…' }).waitFor();
    expect((await versionLines(page)).length).toBe(4);
    expect(await originValues('escape')).toEqual(['https://new-frontend.example.com']);
    await done();
  });
});
