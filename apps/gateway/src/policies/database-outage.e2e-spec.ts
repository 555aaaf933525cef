import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, startEmbeddedDatabase, type EmbeddedDatabase } from '#database';
import { freePort } from '../../../../test/support/free-port.js';
import { GatewayHarness, within } from '../../../../test/support/gateway-harness.js';
import { TenantSeed } from '../../../../test/support/tenant-seed.js';

const APP = 'https://app.steady.test';

// A PostgreSQL server of this file's own, so it can be stopped without disturbing the others.
describe('gateway while its database is down', () => {
  let dataDir: string;
  let port: number;
  let database: EmbeddedDatabase;
  let gateway: GatewayHarness;
  let seed: TenantSeed;

  const start = () => startEmbeddedDatabase({ dataDir, port });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'corsmesh-outage-'));
    port = await freePort();
    database = await start();
    await migrate({ databaseUrl: database.url });
    seed = new TenantSeed(database.url);
    await seed.tenant('steady', { origins: [{ kind: 'exact', value: APP }] });
    await seed.close();
    gateway = await GatewayHarness.start(database.url, { POLICY_CACHE_TTL_SECONDS: '1' });
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const steady = () => gateway.request({ method: 'GET', url: '/t/steady/echo', headers: { origin: APP } });

  it('keeps serving known tenants, refuses unknown ones and reports not ready, then recovers', async () => {
    expect((await steady()).headers['access-control-allow-origin']).toBe(APP);

    await database.stop();

    // Past the cache TTL, so the gateway tries (and fails) to re-read the policy meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (let i = 0; i < 5; i++) {
      const response = await steady();
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(APP);
    }
    const preflight = await gateway.request({
      method: 'OPTIONS',
      url: '/t/steady/echo',
      headers: { origin: APP, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    const unknown = await gateway.request({ method: 'GET', url: '/t/stranger/echo', headers: { origin: APP } });
    expect(unknown.statusCode).toBe(503);
    expect(Object.keys(unknown.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect((await gateway.request({ method: 'GET', url: '/health/ready' })).statusCode).toBe(503);
    expect((await gateway.request({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);

    database = await start();

    // Ready again only once the listener is back, which revalidated the cache on reconnecting.
    await within(10_000, async () => (await gateway.request({ method: 'GET', url: '/health/ready' })).statusCode === 200);
    const received = async () => {
      const metrics = (await gateway.request({ method: 'GET', url: '/metrics' })).body;
      return Number(/^corsmesh_policy_invalidations_total (\d+)/m.exec(metrics)?.[1]);
    };
    const before = await received();
    seed = new TenantSeed(database.url);
    const tenant = await seed.prisma.tenant.findUniqueOrThrow({ where: { slug: 'steady' } });
    const other = 'https://other.steady.test';
    await seed.addOrigin(tenant.id, 'exact', other);

    await within(1000, async () => (await received()) > before);
    const response = await gateway.request({ method: 'GET', url: '/t/steady/echo', headers: { origin: other } });
    expect(response.headers['access-control-allow-origin']).toBe(other);
    await seed.close();
  }, 60_000);
});
