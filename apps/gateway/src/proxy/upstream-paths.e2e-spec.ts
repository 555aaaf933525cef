import { rawRequest } from '../../../../reliability/lib/raw-http.js';
import { GatewayHarness } from '../../../../test/support/gateway-harness.js';
import { RecordingUpstream } from '../../../../test/support/recording-upstream.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { TenantSeed } from '../../../../test/support/tenant-seed.js';

/** Issue 19, item 2: a proxied request reaches only paths under its upstream's base path. */
describe('proxied paths stay under the upstream base path', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let upstream: RecordingUpstream;
  let gateway: GatewayHarness;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    upstream = await RecordingUpstream.start();
    // Two tenants share one upstream, each under its own base path.
    await seed.tenant('shop', { upstreamUrl: `${upstream.origin}/api/shop`, hostnames: ['shop.test'] });
    await seed.tenant('other', { upstreamUrl: `${upstream.origin}/api/other` });
    gateway = await GatewayHarness.start(db.url, { UPSTREAM_ALLOWED_HOSTS: '127.0.0.1' });
    port = await gateway.listen();
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
    await seed.close();
    await db.drop();
  });
  beforeEach(() => {
    upstream.received.length = 0;
  });

  const get = (target: string, host = 'gateway.test') =>
    rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);

  it.each([
    ['raw backslashes', '/t/shop/x\\..\\..\\other/secret'],
    ['backslashes with encoded dots', '/t/shop/x\\.%2e\\.%2e\\other'],
    ['an encoded dot-dot segment', '/t/shop/%2e%2e/other/secret'],
    ['a half-encoded dot-dot segment', '/t/shop/.%2E/other/secret'],
    ['a plain dot-dot segment', '/t/shop/a/../../other/secret'],
    ['a dot-dot behind an encoded slash', '/t/shop/a%2f..%2f..%2fother'],
    ['an encoded backslash', '/t/shop/a%5c..%5c..%5cother'],
    ['a dot segment', '/t/shop/./x'],
  ])('refuses %s with 400 before anything reaches the upstream', async (_name, target) => {
    const response = await get(target);

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')?.[0]).toMatch(/^application\/problem\+json/);
    expect(upstream.urls).toEqual([]);
  });

  it('refuses a malformed escape', async () => {
    expect((await get('/t/shop/%zz')).status).toBe(400);
    expect(upstream.urls).toEqual([]);
  });

  it('refuses an absolute-form request line on a Host-routed tenant', async () => {
    const response = await get('http://evil.example/x', 'shop.test');

    expect(response.status).toBe(400);
    expect(upstream.urls).toEqual([]);
  });

  it('still forwards ordinary paths, encoded slashes and names with dots, and the query as sent', async () => {
    for (const target of ['/t/shop/orders/42?q=a/../b', '/t/shop/repos/group%2Fproject', '/t/shop/v1.2/x.json']) {
      expect((await get(target)).status).toBe(200);
    }
    const byHost = await get('/orders', 'shop.test');

    expect(byHost.status).toBe(200);
    expect(upstream.urls).toEqual([
      '/api/shop/orders/42?q=a/../b',
      '/api/shop/repos/group%2Fproject',
      '/api/shop/v1.2/x.json',
      '/api/shop/orders',
    ]);
  });
});
