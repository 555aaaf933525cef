import { PrismaService } from '#database';
import { addOrigins, createApiKey, createTenant } from '../../../../test/factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { GatewayHarness, within } from '../../../../test/support/gateway-harness.js';
import { TrafficRetention } from './traffic-retention.js';

const APP = 'https://app.example.com';
const OLD = 'https://old.example.com';
const EVIL = 'https://evil.example.com';

describe('traffic insight API', () => {
  let api: AdminTestApp;
  let gateways: GatewayHarness[];

  beforeAll(async () => {
    api = await startAdminTestApp();
    gateways = await Promise.all([0, 1].map(() => GatewayHarness.start(api.db.url, { TRAFFIC_FLUSH_INTERVAL_MS: '200' })));
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await api.close();
  });

  const send = (gateway: GatewayHarness, slug: string, origin: string, method = 'GET', extra: Record<string, string> = {}) =>
    gateway.request({ method: method as 'GET', url: `/t/${slug}/echo/items?page=2`, headers: { origin, ...extra } });
  const refusals = async (slug: string, query = '') => (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/refusals${query}` })).json();

  describe('GET /refusals', () => {
    it('lists a refusal by two gateways once, with the summed count, within 10 s', async () => {
      const { slug } = await createTenant(api);
      await addOrigins(api, slug, APP);
      await send(gateways[0]!, slug, EVIL);
      await send(gateways[1]!, slug, EVIL, 'POST');
      await send(gateways[1]!, slug, EVIL);
      const started = performance.now();
      await within(10_000, async () => (await refusals(slug)).items[0]?.count === 3);
      expect(performance.now() - started).toBeLessThan(10_000);
      const { items, nextCursor } = await refusals(slug);
      expect(nextCursor).toBeNull();
      expect(items).toEqual([
        {
          id: expect.any(String),
          origin: EVIL,
          reason: 'origin_not_listed',
          mode: 'enforce',
          count: 3,
          firstSeenAt: expect.any(String),
          lastSeenAt: expect.any(String),
          methods: ['GET', 'POST'],
          requestHeaders: [],
          samplePath: '/echo/items',
        },
      ]);
    });

    it('pages most recent first, and refuses a cursor it never issued', async () => {
      const { slug } = await createTenant(api);
      await addOrigins(api, slug, APP);
      for (const origin of ['https://one.test', 'https://two.test', 'https://three.test']) {
        await send(gateways[0]!, slug, origin);
        await within(5000, async () => (await refusals(slug)).items.some((item: { origin: string }) => item.origin === origin));
      }
      const first = await refusals(slug, '?limit=2');
      expect(first.items.map((item: { origin: string }) => item.origin)).toEqual(['https://three.test', 'https://two.test']);
      const second = await refusals(slug, `?limit=2&cursor=${first.nextCursor}`);
      expect(second.items.map((item: { origin: string }) => item.origin)).toEqual(['https://one.test']);
      expect(second.nextCursor).toBeNull();
      const bad = await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/refusals?cursor=nope` });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().invalidFields).toEqual([{ field: 'cursor', reason: expect.any(String) }]);
    });

    it('records report-only refusals with their mode', async () => {
      const { slug } = await createTenant(api);
      await api.request({ method: 'PATCH', url: `/api/v1/tenants/${slug}/policy`, body: { mode: 'report-only', version: 1 } });
      await within(5000, async () => (await send(gateways[0]!, slug, EVIL)).statusCode !== 403);
      await within(5000, async () => (await refusals(slug)).items[0]?.mode === 'report-only');
      expect((await refusals(slug)).items[0]).toMatchObject({ origin: EVIL, mode: 'report-only' });
    });
  });

  describe('DELETE /refusals/{id}', () => {
    it('dismisses one, lists it again on a later refusal, and is audited', async () => {
      const { slug } = await createTenant(api);
      await send(gateways[0]!, slug, EVIL);
      await within(5000, async () => (await refusals(slug)).items.length === 1);
      const id = (await refusals(slug)).items[0].id;
      expect((await api.request({ method: 'DELETE', url: `/api/v1/tenants/${slug}/refusals/${id}` })).statusCode).toBe(204);
      expect((await refusals(slug)).items).toEqual([]);
      expect((await api.request({ method: 'DELETE', url: `/api/v1/tenants/${slug}/refusals/${id}` })).statusCode).toBe(404);
      const audit = (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/audit?limit=1` })).json();
      expect(audit.items[0]).toMatchObject({ action: 'refusal.dismissed', before: { origin: EVIL } });

      await send(gateways[1]!, slug, EVIL);
      await within(5000, async () => (await refusals(slug)).items[0]?.count === 1);
    });

    it('answers 404 for another tenant’s refusal, and its key 403', async () => {
      const mine = await createTenant(api);
      const theirs = await createTenant(api);
      await send(gateways[0]!, theirs.slug, EVIL);
      await within(5000, async () => (await refusals(theirs.slug)).items.length === 1);
      const id = (await refusals(theirs.slug)).items[0].id;
      const key = await createApiKey(api, mine.slug);
      expect((await api.request({ method: 'DELETE', url: `/api/v1/tenants/${mine.slug}/refusals/${id}`, token: key.secret })).statusCode).toBe(404);
      expect((await api.request({ method: 'GET', url: `/api/v1/tenants/${theirs.slug}/refusals`, token: key.secret })).statusCode).toBe(403);
      expect((await api.request({ method: 'GET', url: `/api/v1/tenants/${mine.slug}/refusals`, token: key.secret })).json().items).toEqual([]);
      expect((await refusals(theirs.slug)).items).toHaveLength(1);
    });

    it('answers 404 for an unknown tenant', async () => {
      const response = await api.request({ method: 'DELETE', url: '/api/v1/tenants/no-such-tenant/refusals/x' });
      expect(response.statusCode).toBe(404);
    });
  });

  describe('GET /origins usage', () => {
    it('gives each rule its summed matchCount and lastMatchedAt, null when never matched', async () => {
      const { slug } = await createTenant(api);
      await addOrigins(api, slug, APP, OLD);
      await send(gateways[0]!, slug, APP);
      await send(gateways[1]!, slug, APP, 'OPTIONS', { 'access-control-request-method': 'POST' });
      const list = async () => (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/origins` })).json().items;
      await within(5000, async () => (await list())[0].matchCount === 2);
      const [app, old] = await list();
      expect(app).toMatchObject({ value: APP, matchCount: 2, lastMatchedAt: expect.stringMatching(/^\d{4}-/) });
      expect(Date.now() - Date.parse(app.lastMatchedAt)).toBeLessThan(10_000);
      expect(old).toMatchObject({ value: OLD, matchCount: 0, lastMatchedAt: null });
    });
  });

  describe('GET /traffic', () => {
    it('answers the window’s buckets with allowed, refused and preflights, and totals by reason', async () => {
      const { slug } = await createTenant(api);
      await addOrigins(api, slug, APP);
      await send(gateways[0]!, slug, APP);
      await send(gateways[0]!, slug, APP, 'OPTIONS', { 'access-control-request-method': 'POST' });
      await send(gateways[1]!, slug, EVIL);
      await send(gateways[1]!, slug, APP, 'DELETE');
      const traffic = async (window: string) => (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/traffic?window=${window}` })).json();
      type Bucket = { allowed: number; refused: number; preflights: number };
      // A count lands in the bucket its gateway's window began in: the last one, or the one
      // before when a 5-minute boundary fell within the flush interval.
      const total = (buckets: Bucket[]) =>
        buckets.reduce((sum, b) => ({ allowed: sum.allowed + b.allowed, refused: sum.refused + b.refused, preflights: sum.preflights + b.preflights }), {
          allowed: 0,
          refused: 0,
          preflights: 0,
        });
      const expected = { allowed: 2, refused: 2, preflights: 1 };
      await within(5000, async () => JSON.stringify(total((await traffic('1h')).buckets)) === JSON.stringify(expected));
      const hour = await traffic('1h');
      expect(hour.buckets).toHaveLength(12);
      expect(hour.bucketSeconds).toBe(300);
      expect(total(hour.buckets.slice(-2))).toEqual(expected);
      expect(hour.refusedByReason).toEqual({ origin_not_listed: 1, method_not_allowed: 1 });
      expect(Date.parse(hour.buckets[1].start) - Date.parse(hour.buckets[0].start)).toBe(300_000);
      expect(Date.now() - Date.parse(hour.buckets.at(-1).start)).toBeLessThan(300_000);
      expect((await traffic('24h')).buckets).toHaveLength(24);
      const week = await traffic('7d');
      expect(week.buckets).toHaveLength(28);
      expect(total(week.buckets.slice(-2))).toEqual(expected);
    });

    it('refuses an unknown window with 400 naming it', async () => {
      const { slug } = await createTenant(api);
      const response = await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/traffic?window=2h` });
      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'window', reason: 'must be 1h, 24h or 7d' }]);
    });
  });

  describe('POST /policy/preview', () => {
    let slug: string;

    beforeAll(async () => {
      let id: string;
      ({ slug, id } = await createTenant(api));
      await addOrigins(api, slug, APP, OLD);
      for (let i = 0; i < 3; i++) await send(gateways[0]!, slug, APP);
      await send(gateways[0]!, slug, APP, 'OPTIONS', { 'access-control-request-method': 'PUT', 'access-control-request-headers': 'X-Trace' });
      await send(gateways[1]!, slug, OLD);
      await send(gateways[1]!, slug, EVIL);
      const prisma = api.app.get(PrismaService);
      await within(5000, async () => (await prisma.trafficTuple.count({ where: { tenantId: id } })) === 4);
    });

    const preview = (body: unknown, target = slug) => api.request({ method: 'POST', url: `/api/v1/tenants/${target}/policy/preview`, body });

    it('lists what a smaller origin list would newly refuse, and what a larger one would allow', async () => {
      const response = await preview({ origins: [OLD, { origin: EVIL }] });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        wouldRefuse: [{ origin: APP, method: 'GET', requestHeaders: [], count: 3, lastSeenAt: expect.any(String), reason: 'origin_not_listed' }],
        wouldAllow: [{ origin: EVIL, method: 'GET', requestHeaders: [], count: 1, lastSeenAt: expect.any(String) }],
        replayed: 4,
      });
    });

    it('replays preflights against proposed methods and headers, and saves nothing', async () => {
      const methods = (await preview({ allowedMethods: ['GET', 'PUT'], allowedHeaders: ['Content-Type', 'X-Trace'] })).json();
      expect(methods.wouldAllow).toEqual([{ origin: APP, method: 'PUT', requestHeaders: ['x-trace'], count: 1, lastSeenAt: expect.any(String) }]);
      const policy = (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/policy` })).json();
      expect(policy.allowedMethods).toEqual(['GET', 'HEAD', 'POST']);
      expect(policy.version).toBe(1);
    });

    it('applies proposed path rules on the path each request was seen on', async () => {
      const response = await preview({ pathRules: [{ path: '/echo/**', origins: [APP] }] });
      expect(response.json().wouldRefuse).toEqual([expect.objectContaining({ origin: OLD, reason: 'origin_not_listed' })]);
    });

    it('refuses an invalid proposal with 400 naming the field, and an unknown tenant with 404 first', async () => {
      const invalid = await preview({ origins: ['*'], allowCredentials: true });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().invalidFields[0].field).toMatch(/origins|allowCredentials/);
      const shape = await preview({ origins: ['https://a.test/path'] });
      expect(shape.statusCode).toBe(400);
      expect(shape.json().invalidFields[0].field).toBe('origins[0]');
      expect((await preview({ maxAge: 'never' }, 'no-such-tenant')).statusCode).toBe(404);
    });
  });

  describe(TrafficRetention.name, () => {
    it('prunes traffic past its retention and the rows of deleted tenants and rules', async () => {
      const { slug, id } = await createTenant(api);
      await addOrigins(api, slug, APP);
      await send(gateways[0]!, slug, APP);
      await send(gateways[0]!, slug, EVIL);
      const prisma = api.app.get(PrismaService);
      await within(5000, async () => (await prisma.originRuleUsage.count({ where: { tenantId: id } })) === 1 && (await prisma.trafficRefusal.count({ where: { tenantId: id } })) === 1);
      const retention = api.app.get(TrafficRetention);

      expect(await retention.prune()).toMatchObject({ tuples: 0, refusals: 0, usage: 0 });
      const later = Date.now() + 8 * 24 * 60 * 60_000 + 60_000;
      const pruned = await retention.prune(later);
      expect(pruned.buckets).toBeGreaterThanOrEqual(1);
      expect(await prisma.trafficTuple.count({ where: { tenantId: id } })).toBe(0);
      expect(await prisma.trafficRefusal.count({ where: { tenantId: id } })).toBe(1);

      await api.request({ method: 'PUT', url: `/api/v1/tenants/${slug}/origins`, body: { origins: [] } });
      await api.request({ method: 'DELETE', url: `/api/v1/tenants/${slug}` });
      await retention.prune();
      expect(await prisma.originRuleUsage.count({ where: { tenantId: id } })).toBe(0);
      expect(await prisma.trafficRefusal.count({ where: { tenantId: id } })).toBe(0);
    });
  });
});
