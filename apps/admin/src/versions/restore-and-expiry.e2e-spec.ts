import { createTenant } from '../../../../test/factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { GatewayHarness, within } from '../../../../test/support/gateway-harness.js';

// Long TTLs: only change notices (restore) or the compiled expiry can make the gateways change.
const GATEWAY_ENV = { POLICY_CACHE_TTL_SECONDS: '3600', UNKNOWN_TENANT_CACHE_TTL_SECONDS: '3600' };

describe('restore and expiry on two gateways', () => {
  let api: AdminTestApp;
  let first: GatewayHarness;
  let second: GatewayHarness;
  let secondUrl: string;
  let slug: string;

  beforeAll(async () => {
    api = await startAdminTestApp();
    first = await GatewayHarness.start(api.db.url, GATEWAY_ENV);
    second = await GatewayHarness.start(api.db.url, GATEWAY_ENV);
    await second.app.listen({ port: 0, host: '127.0.0.1' });
    secondUrl = await second.app.getUrl();
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await api.close();
  });
  beforeEach(async () => {
    ({ slug } = await createTenant(api));
  });

  const allowedOnFirst = async (origin: string) =>
    (await first.request({ method: 'GET', url: `/t/${slug}/echo`, headers: { origin } })).headers[
      'access-control-allow-origin'
    ] === origin;
  // The second gateway is asked over a real socket, as a browser would.
  const allowedOnSecond = async (origin: string) =>
    (await fetch(`${secondUrl}/t/${slug}/echo`, { headers: { origin } })).headers.get('access-control-allow-origin') ===
    origin;
  const everywhere = async (origin: string) => [await allowedOnFirst(origin), await allowedOnSecond(origin)];
  const replaceOrigins = (...origins: string[]) =>
    api.request({ method: 'PUT', url: `/api/v1/tenants/${slug}/origins`, body: { origins: origins.map((origin) => ({ origin })) } });

  it('serves a restore after a bulk replace on every gateway within a second', async () => {
    expect((await replaceOrigins('https://a.example.com', 'https://b.example.com')).statusCode).toBe(200);
    await within(1000, async () => (await everywhere('https://a.example.com')).every(Boolean));
    expect((await replaceOrigins('https://wrong.example.com')).statusCode).toBe(200);
    await within(1000, async () => (await everywhere('https://wrong.example.com')).every(Boolean));

    const restored = await api.request({
      method: 'POST',
      url: `/api/v1/tenants/${slug}/versions/2/restore`,
      headers: { 'if-match': '"3"' },
    });

    expect(restored.statusCode).toBe(200);
    await within(1000, async () =>
      [...(await everywhere('https://a.example.com')), ...(await everywhere('https://b.example.com'))].every(Boolean),
    );
    expect(await everywhere('https://wrong.example.com')).toEqual([false, false]);
  });

  it('refuses an origin from its expiry on, with no admin write in between', async () => {
    const origin = 'https://pr-11.preview.example.com';
    const expiresAt = Date.now() + 2000;
    const added = await api.request({
      method: 'POST',
      url: `/api/v1/tenants/${slug}/origins`,
      body: { origin, expiresAt: new Date(expiresAt).toISOString() },
    });
    expect(added.statusCode).toBe(201);
    await within(1000, async () => (await everywhere(origin)).every(Boolean));

    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now()));
    await within(1000, async () => (await everywhere(origin)).every((allowed) => !allowed));

    const refused = await fetch(`${secondUrl}/t/${slug}/echo`, { headers: { origin } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});
