/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its DOM types.
import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, Page } from 'playwright-core';
import { loadGatewayConfig } from '../../apps/gateway/src/config/gateway.config.js';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app.js';
import { testLogger } from '../support/silent-logger.js';
import { launchChromium, openPage, screenshot } from './support/browser.js';
import { callAdminApi, type DashboardStack, signIn, startDashboardStack } from './support/dashboard-stack.js';
import { startPartnerSite } from './support/partner-site.js';

type CallResult = { ok: true; status: number } | { ok: false; error: string };

// The traffic loop in a real browser: a partner page is refused by two gateways; the dashboard
// lists the refusal once with the summed count; one click allows the origin, and the page's
// next call through the gateway is read. Then the preview says what removing it would break.
describe('Dashboard traffic insight', () => {
  let stack: DashboardStack;
  let second: NestFastifyApplication;
  let browser: Browser;
  let partner: Server;
  let partnerOrigin: string;

  beforeAll(async () => {
    [stack, browser, partner] = await Promise.all([startDashboardStack({ gateway: true }), launchChromium(), startPartnerSite()]);
    second = await createGatewayApp(loadGatewayConfig({ DATABASE_URL: stack.db.url }), testLogger());
    await second.listen({ port: 0, host: '127.0.0.1' });
    const address = partner.address();
    if (address === null || typeof address === 'string') throw new Error('partner site not listening');
    partnerOrigin = `http://127.0.0.1:${address.port}`;
    await callAdminApi(stack, 'POST', '/tenants', { slug: 'shop', name: 'Shop' });
    await callAdminApi(stack, 'POST', '/tenants/shop/origins', { origin: 'https://other.shop.test' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await second?.close();
    await new Promise((resolve) => partner?.close(resolve));
    await stack?.close();
  });

  it('finds a refusal, allows it in one click, and previews what a change would break', async () => {
    const secondPort = (second.getHttpServer().address() as { port: number }).port;
    const gateways = [`http://localhost:${stack.gatewayPort}/t/shop/echo`, `http://localhost:${secondPort}/t/shop/echo`];
    const { context, page: dashboard, problems } = await openPage(browser);
    const page = await context.newPage();
    await page.goto(partnerOrigin);
    for (const url of [gateways[0]!, gateways[1]!, gateways[1]!]) expect(await callGateway(page, url)).toMatchObject({ ok: false });

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
    const allowed = await within(1000, () => callGateway(page, gateways[0]!), (result) => result.ok);
    expect(allowed).toEqual({ ok: true, status: 200 });
    await callGateway(page, gateways[1]!);

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

    await dashboard.getByRole('button', { name: 'Edit as a list…' }).click();
    await dashboard.getByLabel('Origins, one per line').fill('https://other.shop.test');
    await dashboard.getByRole('button', { name: 'Replace list…' }).click();
    const impact = dashboard.getByRole('region', { name: 'Impact of this change' });
    const failing = impact.getByRole('list', { name: 'Would start failing' });
    await failing.waitFor();
    await expect(failing.textContent()).resolves.toMatch(new RegExp(`${partnerOrigin.replace(/\./g, '\\.')} GET: \\d+ requests`));
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
  }, 60_000);
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
