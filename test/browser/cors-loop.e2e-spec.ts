/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its DOM types.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot } from './support/browser.js';
import { createTenantOnDashboard, type DashboardStack, signIn, startDashboardStack } from './support/dashboard-stack.js';
import { startPartnerSite } from './support/partner-site.js';

/** How soon a change made on the dashboard must reach the gateway (SPEC: within one second). */
const PROPAGATION_MS = 1000;

/** What the partner page's `fetch` to the gateway ended in. */
type CallResult = { ok: true; status: number; body: { tenant: string; method: string; headers: Record<string, string> } } | { ok: false; error: string };

// The whole loop, in a real browser: an origin allowed on the dashboard lets a page served from
// that origin call the tenant's API through the gateway, with a preflight; removing the origin
// on the dashboard makes the browser refuse the same call within a second.
describe('Dashboard to gateway: the whole loop', () => {
  let stack: DashboardStack;
  let browser: Browser;
  let partner: Server;
  let partnerOrigin: string;

  beforeAll(async () => {
    [stack, browser, partner] = await Promise.all([startDashboardStack({ gateway: true }), launchChromium(), startPartnerSite()]);
    const address = partner.address();
    if (address === null || typeof address === 'string') throw new Error('partner site not listening');
    partnerOrigin = `http://127.0.0.1:${address.port}`;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => partner?.close(resolve));
    await stack?.close();
  });

  it('allows a page on an origin added on the dashboard, and refuses it within a second of its removal', async () => {
    const gatewayUrl = `http://localhost:${stack.gatewayPort}/t/loop/echo`;
    const { context, page: dashboard, problems } = await openPage(browser);
    await signIn(dashboard, stack.adminUrl);
    await createTenantOnDashboard(dashboard, 'loop', 'Loop test');
    // The page sends X-Partner-Request: not safelisted, so the browser asks the gateway first (preflight).
    await dashboard.getByRole('link', { name: 'Policy' }).click();
    await dashboard.getByLabel('Allowed request headers').fill('Content-Type, X-Partner-Request');
    await dashboard.getByRole('button', { name: 'Save policy' }).click();
    await dashboard.getByText('Saved as version 2.', { exact: false }).waitFor();

    const page = await context.newPage();
    await page.goto(partnerOrigin);
    const call = () => callGateway(page, gatewayUrl);

    // Not allowed yet: the preflight is refused and the browser never sends the request.
    const refusedPreflightsBefore = await preflights(stack, 'refused');
    const before = await call();
    expect(before).toEqual({ ok: false, error: expect.stringContaining('Failed to fetch') });
    expect(await preflights(stack, 'refused')).toBe(refusedPreflightsBefore + 1);

    await dashboard.getByRole('link', { name: 'Origins' }).click();
    await dashboard.getByLabel('Origin', { exact: true }).fill(partnerOrigin);
    await dashboard.getByRole('button', { name: 'Add origin' }).click();
    await dashboard.getByText(`Added ${partnerOrigin}.`).waitFor();
    const allowedPreflightsBefore = await preflights(stack, 'allowed');

    const allowed = await within(PROPAGATION_MS, call, (result) => result.ok);
    expect(allowed.result).toMatchObject({ ok: true, status: 200, body: { tenant: 'loop', method: 'POST' } });
    expect(allowed.result.ok && allowed.result.body.headers['x-partner-request']).toBe('1');
    expect(await preflights(stack, 'allowed')).toBeGreaterThan(allowedPreflightsBefore);
    await screenshot(dashboard, 'loop-origin-added');
    await screenshot(page, 'loop-partner-allowed');

    await dashboard.getByRole('button', { name: `Remove ${partnerOrigin}` }).click();
    await dashboard.getByRole('button', { name: 'Yes, remove' }).click();
    await dashboard.getByText(`Removed ${partnerOrigin}.`, { exact: false }).waitFor();

    // The browser may reuse its cached preflight (max-age 600); the gateway then refuses the
    // request itself (403, no CORS headers), and the browser refuses the response either way.
    const refused = await within(PROPAGATION_MS, call, (result) => !result.ok);
    expect(refused.result).toEqual({ ok: false, error: expect.stringContaining('Failed to fetch') });
    await screenshot(page, 'loop-partner-refused');
    await screenshot(dashboard, 'loop-origin-removed');
    expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    await context.close();
  });
});

/** `fetch` from the partner page, as its own script would; the outcome is also shown on the page. */
function callGateway(page: Page, url: string): Promise<CallResult> {
  return page.evaluate(async (target) => {
    let result: CallResult;
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-partner-request': '1' },
        body: JSON.stringify({ hello: 'gateway' }),
      });
      result = { ok: true, status: response.status, body: await response.json() };
    } catch (error) {
      result = { ok: false, error: String(error) };
    }
    document.getElementById('result')!.textContent = `${new Date().toISOString()}\n${JSON.stringify(result, null, 2)}`;
    return result;
  }, url);
}

/** Repeats `attempt` until `done` says so; fails after `ms`. */
async function within<T>(ms: number, attempt: () => Promise<T>, done: (result: T) => boolean): Promise<{ result: T; elapsedMs: number }> {
  const started = performance.now();
  for (;;) {
    const result = await attempt();
    const elapsedMs = performance.now() - started;
    if (done(result)) return { result, elapsedMs };
    if (elapsedMs > ms) throw new Error(`not within ${ms} ms; last result: ${JSON.stringify(result)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The gateway's count of preflights with this outcome, from its Prometheus metrics. */
async function preflights(stack: DashboardStack, outcome: 'allowed' | 'refused'): Promise<number> {
  const metrics = await (await fetch(`http://127.0.0.1:${stack.gatewayPort}/metrics`)).text();
  const line = metrics.split('\n').find((row) => row.startsWith(`corsmesh_cors_decisions_total{kind="preflight",outcome="${outcome}"}`));
  return Number(line?.split(' ').at(-1) ?? 0);
}
