/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its DOM types.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { AppProcess } from '../support/app-process.js';
import { freePort } from '../support/free-port.js';
import { launchChromium, openPage, screenshot } from './support/browser.js';
import { callAdminApi, type DashboardStack, signIn, startDashboardStack } from './support/dashboard-stack.js';
import { startPartnerSite } from './support/partner-site.js';

type CallResult = { ok: true; status: number } | { ok: false; error: string };

/** SPEC "Traffic insight": a refused request is listed within 10 s. */
const LISTED_WITHIN_MS = 10_000;

// The traffic loop in a real browser, with the gateways as production runs them (each its own
// process, from the build): a partner page is refused by two gateways; the admin lists the
// refusal once with the summed count; one click on the dashboard allows the origin, and the
// page's next call through the gateway is read. Then the previews say what removing it would break.
describe('Dashboard traffic insight', () => {
  let stack: DashboardStack;
  const gateways: { process: AppProcess; port: number }[] = [];
  let browser: Browser;
  let partner: Server;
  let partnerOrigin: string;

  beforeAll(async () => {
    [stack, browser, partner] = await Promise.all([startDashboardStack(), launchChromium(), startPartnerSite()]);
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const env = { DATABASE_URL: stack.db.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
      gateways.push({ process: AppProcess.start('dist/apps/gateway/src/main.js', env), port });
    }
    await Promise.all(gateways.map((gateway) => gateway.process.waitForReady(`http://127.0.0.1:${gateway.port}/health/ready`)));
    const address = partner.address();
    if (address === null || typeof address === 'string') throw new Error('partner site not listening');
    partnerOrigin = `http://127.0.0.1:${address.port}`;
    await callAdminApi(stack, 'POST', '/tenants', { slug: 'shop', name: 'Shop' });
    await callAdminApi(stack, 'POST', '/tenants/shop/origins', { origin: 'https://other.shop.test' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    const codes = await Promise.all(gateways.map((gateway) => gateway.process.stop()));
    if (partner) await new Promise((resolve) => partner.close(resolve));
    await stack?.close();
    expect(codes).toEqual([0, 0]);
  });

  it('finds a refusal, allows it in one click, and previews what a change would break', async () => {
    // localhost, not the partner's 127.0.0.1: another origin for the browser.
    const [first, second] = gateways.map((gateway) => `http://localhost:${gateway.port}/t/shop/echo`) as [string, string];
    const { context, page: dashboard, problems } = await openPage(browser);
    const page = await context.newPage();
    await page.goto(partnerOrigin);
    for (const url of [first, second, second]) expect(await callGateway(page, url)).toMatchObject({ ok: false });
    const refusedAt = performance.now();

    // Each gateway writes its own count; the admin lists one refusal with their sum.
    type Refusals = { items: { origin: string; reason: string; count: number }[] };
    let listed = await callAdminApi<Refusals>(stack, 'GET', '/tenants/shop/refusals');
    while (listed.body.items[0]?.count !== 3 && performance.now() - refusedAt < LISTED_WITHIN_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      listed = await callAdminApi<Refusals>(stack, 'GET', '/tenants/shop/refusals');
    }
    expect(performance.now() - refusedAt).toBeLessThan(LISTED_WITHIN_MS);
    expect(listed.body.items).toEqual([expect.objectContaining({ origin: partnerOrigin, reason: 'origin_not_listed', count: 3 })]);

    await signIn(dashboard, stack.adminUrl);
    await dashboard.goto(`${stack.adminUrl}/tenants/shop/traffic`);
    const refusal = dashboard.getByTestId('refusal').filter({ hasText: partnerOrigin });
    // Gateways write every 5 s and the view refreshes every 5 s.
    await refusal.filter({ hasText: '3 requests' }).waitFor({ timeout: 15_000 });
    await expect(dashboard.getByTestId('refusal').count()).resolves.toBe(1);
    await expect(refusal.textContent()).resolves.toContain('Origin not allowed');
    await expect(refusal.textContent()).resolves.toContain('GET');
    const rows = dashboard.getByRole('table', { name: 'Traffic per interval' }).locator('tbody tr');
    await rows.last().locator('td').nth(1).filter({ hasText: '3' }).waitFor();
    await expect(rows.count()).resolves.toBe(12);
    await expect(rows.last().locator('td').nth(1).textContent()).resolves.toBe('3');
    const box = await dashboard.locator('.traffic-chart canvas').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    await screenshot(dashboard, 'traffic-refusal-listed');

    await refusal.getByRole('button', { name: 'Allow this origin' }).click();
    await dashboard.getByText(`Allowed ${partnerOrigin}.`, { exact: false }).waitFor();
    await refusal.waitFor({ state: 'detached' });
    const allowed = await within(1000, () => callGateway(page, first), (result) => result.ok);
    expect(allowed).toEqual({ ok: true, status: 200 });
    expect(await within(1000, () => callGateway(page, second), (result) => result.ok)).toEqual({ ok: true, status: 200 });

    await dashboard.getByRole('link', { name: 'Origins' }).click();
    // The list is read when opened: reopened until the gateways' next write is in it.
    const usage = dashboard.getByTestId('origin-rule').filter({ hasText: partnerOrigin }).getByText(/last matched .* · 2 requests/);
    for (let attempt = 0; attempt < 30 && !(await usage.isVisible()); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await dashboard.reload();
      await dashboard.getByTestId('origin-rule').first().waitFor();
    }
    await usage.waitFor({ timeout: 1000 });
    await dashboard.getByTestId('origin-rule').filter({ hasText: 'https://other.shop.test' }).getByText('never matched').waitFor();

    // Removing one origin says first what would start failing: the partner's GETs.
    const impact = dashboard.getByRole('region', { name: 'Impact of this change' });
    const failing = impact.getByRole('list', { name: 'Would start failing' });
    const partnerFailing = new RegExp(`${partnerOrigin.replace(/\./g, '\\.')} GET: \\d+ requests`);
    await dashboard.getByRole('button', { name: `Remove ${partnerOrigin}` }).click();
    await failing.waitFor();
    // 3 refused and 2 allowed GETs: one (origin, method) tuple, written with the usage shown above.
    const items = await failing.getByRole('listitem').allTextContents();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatch(new RegExp(`^${partnerOrigin.replace(/\./g, '\\.')} GET: 5 requests, last .+ \\(origin not allowed\\)$`));
    await screenshot(dashboard, 'traffic-preview-remove-origin');
    await dashboard.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Cancel' }).click();
    await impact.waitFor({ state: 'detached' });
    // Removing the origin nothing used breaks nothing.
    await dashboard.getByRole('button', { name: 'Remove https://other.shop.test' }).click();
    await impact.getByText(/No change for the (one kind|\d+ kinds) of request/).waitFor();
    await dashboard.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Cancel' }).click();

    await dashboard.getByRole('button', { name: 'Edit as a list…' }).click();
    await dashboard.getByLabel('Origins, one per line').fill('https://other.shop.test');
    await dashboard.getByRole('button', { name: 'Replace list…' }).click();
    await failing.waitFor();
    await expect(failing.textContent()).resolves.toMatch(partnerFailing);
    await screenshot(dashboard, 'traffic-preview-origins');
    await dashboard.getByRole('button', { name: 'Keep editing' }).click();

    await dashboard.getByRole('link', { name: 'Policy' }).click();
    await dashboard.getByRole('checkbox', { name: 'GET' }).uncheck();
    await dashboard.getByRole('button', { name: 'Preview impact' }).click();
    await impact.getByRole('list', { name: 'Would start failing' }).getByText(/method not allowed/).waitFor();
    await screenshot(dashboard, 'traffic-preview-policy');
    // Nothing was saved by either preview.
    const origins = await callAdminApi<{ items: { value: string }[] }>(stack, 'GET', '/tenants/shop/origins');
    expect(origins.body.items.map((item) => item.value)).toEqual(['https://other.shop.test', partnerOrigin]);
    expect((await callAdminApi<{ version: number }>(stack, 'GET', '/tenants/shop/policy')).body.version).toBe(1);
    expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    await context.close();
  }, 90_000);
});

/** A simple cross-origin GET from the partner page, as its own script would. */
function callGateway(page: Page, url: string): Promise<CallResult> {
  return page.evaluate(async (target) => {
    try {
      const response = await fetch(target);
      await response.json();
      return { ok: true as const, status: response.status };
    } catch (error) {
      return { ok: false as const, error: String(error) };
    }
  }, url);
}

async function within<T>(ms: number, attempt: () => Promise<T>, done: (result: T) => boolean): Promise<T> {
  const started = performance.now();
  for (;;) {
    const result = await attempt();
    if (done(result) || performance.now() - started > ms) return result;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
