import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { GatewayHarness, within } from '../../../../test/support/gateway-harness.js';
import { TenantSeed } from '../../../../test/support/tenant-seed.js';

const APP = 'https://app.shop.test';

describe('policy invalidation across gateway instances', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let first: GatewayHarness;
  let second: GatewayHarness;
  let secondUrl: string;
  let tenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    tenantId = await seed.tenant('shop');
    // Long TTLs: only the change notices can make the gateways see a change in time.
    const env = { POLICY_CACHE_TTL_SECONDS: '3600', UNKNOWN_TENANT_CACHE_TTL_SECONDS: '3600' };
    first = await GatewayHarness.start(db.url, env);
    second = await GatewayHarness.start(db.url, env);
    await second.app.listen({ port: 0, host: '127.0.0.1' });
    secondUrl = await second.app.getUrl();
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await seed.close();
    await db.drop();
  });

  // The second instance is asked over a real socket, as a browser would.
  const allowedOnSecond = async (origin: string) =>
    (await fetch(`${secondUrl}/t/shop/echo`, { headers: { origin } })).headers.get('access-control-allow-origin') === origin;
  const allowedOnFirst = async (origin: string) =>
    (await first.request({ method: 'GET', url: '/t/shop/echo', headers: { origin } })).headers['access-control-allow-origin'] === origin;

  it('makes an origin added in the database allowed on every instance within a second', async () => {
    expect(await allowedOnFirst(APP)).toBe(false);
    expect(await allowedOnSecond(APP)).toBe(false);

    await seed.addOrigin(tenantId, 'exact', APP);

    await within(1000, () => allowedOnFirst(APP));
    await within(1000, () => allowedOnSecond(APP));
  });

  it('makes a removed origin refused on every instance within a second', async () => {
    expect(await allowedOnSecond(APP)).toBe(true);

    await seed.removeOrigins(tenantId);

    await within(1000, async () => !(await allowedOnFirst(APP)));
    await within(1000, async () => !(await allowedOnSecond(APP)));
  });

  it('applies a policy change (credentials) within a second', async () => {
    await seed.addOrigin(tenantId, 'exact', APP);
    await within(1000, () => allowedOnSecond(APP));

    await seed.updatePolicy(tenantId, { allowCredentials: true });

    await within(1000, async () => {
      const response = await fetch(`${secondUrl}/t/shop/echo`, { headers: { origin: APP } });
      return response.headers.get('access-control-allow-credentials') === 'true';
    });
  });

  it('serves a tenant created after its slug was looked up and remembered as unknown', async () => {
    expect((await first.request({ method: 'GET', url: '/t/late/echo' })).statusCode).toBe(404);

    await seed.tenant('late');

    await within(1000, async () => (await first.request({ method: 'GET', url: '/t/late/echo' })).statusCode === 200);
  });

  it('follows a hostname moved to another tenant', async () => {
    await seed.tenant('north', { hostnames: ['api.north.test'] });
    const tenantOfHost = async () =>
      (await first.request({ method: 'GET', url: '/echo', headers: { host: 'api.north.test' } })).json().tenant as string;
    expect(await tenantOfHost()).toBe('north');

    const south = await seed.tenant('south');
    await seed.prisma.tenantHostname.update({ where: { hostname: 'api.north.test' }, data: { tenantId: south } });

    await within(1000, async () => (await tenantOfHost()) === 'south');
  });
});
