import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { GatewayHarness, within } from '../../../../test/support/gateway-harness.js';
import { TcpProxy } from '../../../../test/support/tcp-proxy.js';
import { TenantSeed } from '../../../../test/support/tenant-seed.js';
import { TrafficFlusher } from './traffic-flusher.js';
import { WRITE_CHUNK_ROWS } from './traffic.writer.js';

const APP = 'https://app.shop.test';
const EVIL = 'https://evil.test';
const FAST = { TRAFFIC_FLUSH_INTERVAL_MS: '100' };

describe('traffic recording', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let tenantId: string;
  let ruleId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    tenantId = await seed.tenant('shop', {
      origins: [{ kind: 'exact', value: APP }],
      policy: { allowedMethods: ['GET', 'POST'], allowedHeaders: ['Content-Type'] },
    });
    ruleId = (await seed.prisma.originRule.findFirstOrThrow({ where: { tenantId } })).id;
  });
  afterEach(async () => {
    await seed.prisma.$executeRaw`TRUNCATE traffic_refusals, traffic_tuples, traffic_buckets, origin_rule_usage`;
  });
  afterAll(async () => {
    await seed.close();
    await db.drop();
  });

  // A window's counts land in the 5-minute bucket it began in: two rows when a boundary fell in it.
  const totals = async () => {
    const sum = await seed.prisma.trafficBucket.aggregate({ where: { tenantId }, _sum: { allowed: true, refused: true, preflights: true } });
    return [Number(sum._sum.allowed ?? 0), Number(sum._sum.refused ?? 0), Number(sum._sum.preflights ?? 0)];
  };
  const refusals = () => seed.prisma.trafficRefusal.findMany({ where: { tenantId }, orderBy: [{ origin: 'asc' }, { reason: 'asc' }] });

  it('aggregates refusals, tuples, rule matches and totals, and writes them within the flush interval', async () => {
    const gateway = await GatewayHarness.start(db.url, FAST);
    try {
      for (let i = 0; i < 3; i++) await gateway.request({ method: 'GET', url: '/t/shop/echo?x=1', headers: { origin: APP } });
      await gateway.request({ method: 'GET', url: '/t/shop/echo/a?secret=1', headers: { origin: EVIL } });
      await gateway.request({ method: 'DELETE', url: '/t/shop/echo/b', headers: { origin: EVIL } });
      await gateway.request({
        method: 'OPTIONS',
        url: '/t/shop/echo',
        headers: { origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'X-Trace, content-type' },
      });
      await gateway.request({
        method: 'OPTIONS',
        url: '/t/shop/echo',
        headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'Content-Type' },
      });
      // No Origin: nothing to record.
      await gateway.request({ method: 'GET', url: '/t/shop/echo' });

      await within(5000, async () => (await refusals()).length === 2 && (await totals())[1] === 3);
      const rows = await refusals();
      expect(rows.map((row) => [row.origin, row.reason, Number(row.count), row.methods, row.samplePath, row.mode])).toEqual([
        [APP, 'method_not_allowed', 1, ['PUT'], '/echo', 'enforce'],
        [EVIL, 'origin_not_listed', 2, ['DELETE', 'GET'], '/echo/a', 'enforce'],
      ]);
      expect(rows[0]!.requestHeaders).toEqual(['content-type', 'x-trace']);

      const tuples = await seed.prisma.trafficTuple.findMany({ where: { tenantId }, orderBy: [{ origin: 'asc' }, { method: 'asc' }] });
      expect(tuples.map((t) => [t.origin, t.method, t.requestHeaders, t.preflight, Number(t.count)])).toEqual([
        [APP, 'GET', '', false, 3],
        [APP, 'POST', 'content-type', true, 1],
        [APP, 'PUT', 'content-type,x-trace', true, 1],
        [EVIL, 'DELETE', '', false, 1],
        [EVIL, 'GET', '', false, 1],
      ]);
      const usage = await seed.prisma.originRuleUsage.findUniqueOrThrow({ where: { ruleId } });
      expect(Number(usage.matchCount)).toBe(5);
      expect(await totals()).toEqual([4, 3, 2]);
      const buckets = await seed.prisma.trafficBucket.findMany({ where: { tenantId } });
      const byReason: Record<string, number> = {};
      for (const bucket of buckets) {
        expect(bucket.start.getTime() % (5 * 60_000)).toBe(0);
        for (const [reason, count] of Object.entries(bucket.refusedByReason as Record<string, number>)) byReason[reason] = (byReason[reason] ?? 0) + count;
      }
      expect(byReason).toEqual({ origin_not_listed: 2, method_not_allowed: 1 });
    } finally {
      await gateway.close();
    }
  });

  it('keeps the refusal counts by reason of a bucket that a later window, refusing nothing, adds to', async () => {
    const gateway = await GatewayHarness.start(db.url, FAST);
    try {
      await gateway.request({ method: 'GET', url: '/t/shop/echo', headers: { origin: EVIL } });
      await within(5000, async () => (await totals())[1] === 1);
      await gateway.request({ method: 'GET', url: '/t/shop/echo', headers: { origin: APP } });
      await within(5000, async () => (await totals())[0] === 1);

      const buckets = await seed.prisma.trafficBucket.findMany({ where: { tenantId } });
      expect(buckets.map((bucket) => bucket.refusedByReason).filter((reasons) => Object.keys(reasons as object).length > 0)).toEqual([{ origin_not_listed: 1 }]);
    } finally {
      await gateway.close();
    }
  });

  it('adds up what several gateways record at once, with no lost update', async () => {
    const gateways = await Promise.all([GatewayHarness.start(db.url, FAST), GatewayHarness.start(db.url, FAST)]);
    try {
      await Promise.all(
        gateways.map(async (gateway) => {
          for (let i = 0; i < 50; i++) await gateway.request({ method: 'GET', url: '/t/shop/echo', headers: { origin: EVIL } });
        }),
      );
      await within(5000, async () => Number((await refusals())[0]?.count ?? 0) === 100 && (await totals())[1] === 100);
      expect(await totals()).toEqual([0, 100, 0]);
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.close()));
    }
  });

  it('writes the last window when the gateway shuts down', async () => {
    const gateway = await GatewayHarness.start(db.url, { TRAFFIC_FLUSH_INTERVAL_MS: '5000' });
    await gateway.request({ method: 'GET', url: '/t/shop/echo', headers: { origin: EVIL } });
    await gateway.close();
    expect((await refusals()).map((row) => Number(row.count))).toEqual([1]);
  });

  it('writes a window larger than one statement takes in full, statement after statement', async () => {
    const origins = WRITE_CHUNK_ROWS + 100;
    const gateway = await GatewayHarness.start(db.url, { TRAFFIC_MAX_ENTRIES_PER_TENANT: String(2 * origins) });
    // No timer: the whole flood is one window, written when the gateway shuts down.
    await gateway.app.get(TrafficFlusher).stop();
    for (let from = 0; from < origins; from += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, origins - from) }, (_, i) =>
          gateway.request({ method: 'GET', url: '/t/shop/echo', headers: { origin: `https://r${from + i}.many.test` } }),
        ),
      );
    }
    await gateway.close();
    expect(await seed.prisma.trafficRefusal.count({ where: { tenantId } })).toBe(origins);
    expect(await totals()).toEqual([0, origins, 0]);
  });

  it('keeps memory and tables bounded under a flood of random origins, counting what it dropped', async () => {
    const gateway = await GatewayHarness.start(db.url, { ...FAST, TRAFFIC_MAX_ENTRIES_PER_TENANT: '50' });
    try {
      for (let round = 0; round < 4; round++) {
        await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            gateway.request({ method: 'GET', url: '/t/shop/echo', headers: { origin: `https://r${round}-${i}.flood.test` } }),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      // A refusal that keeps happening outlives the flood's one-off origins.
      for (let i = 0; i < 5; i++) await gateway.request({ method: 'GET', url: '/t/shop/echo', headers: { origin: EVIL } });
      const metrics = async () => (await gateway.request({ method: 'GET', url: '/metrics' })).body;
      await within(5000, async () => (await refusals()).some((row) => row.origin === EVIL));
      // Each table is written by an upsert, then trimmed: a write that started after the flood
      // has ended leaves both at most at the cap (waited for, rather than read mid-write).
      const waitingSince = Date.now();
      // Something to write, so that a write starts after this moment (writes never overlap).
      await gateway.request({ method: 'GET', url: '/t/shop/echo', headers: { origin: EVIL } });
      const lagMs = async () => 1000 * Number(/^corsmesh_traffic_flush_lag_seconds ([0-9.e+-]+)/m.exec(await metrics())?.[1]);
      await within(5000, async () => (await lagMs()) < Date.now() - waitingSince);
      expect(await seed.prisma.trafficRefusal.count({ where: { tenantId } })).toBeLessThanOrEqual(50);
      expect(await seed.prisma.trafficTuple.count({ where: { tenantId } })).toBeLessThanOrEqual(50);
      expect(Number(/^corsmesh_traffic_dropped_entries_total (\d+)/m.exec(await metrics())?.[1])).toBeGreaterThan(0);
      expect(await metrics()).toMatch(/^corsmesh_cors_refusals_total\{reason="origin_not_listed"\} 406$/m);
    } finally {
      await gateway.close();
    }
  });

  it('serves every request while the database is unreachable, losing only those counts', async () => {
    const proxy = await TcpProxy.start(db.url);
    const gateway = await GatewayHarness.start(proxy.url(db.url), {
      ...FAST,
      DATABASE_QUERY_TIMEOUT_MS: '300',
      DATABASE_POOL_TIMEOUT_MS: '300',
      LISTENER_HEARTBEAT_INTERVAL_MS: '600000',
    });
    const metrics = async () => (await gateway.request({ method: 'GET', url: '/metrics' })).body;
    try {
      await gateway.request({ method: 'GET', url: '/t/shop/echo', headers: { origin: APP } });
      proxy.blackhole();
      for (let i = 0; i < 20; i++) {
        const started = performance.now();
        const response = await gateway.request({ method: 'GET', url: '/t/shop/echo', headers: { origin: EVIL } });
        expect(response.statusCode).toBe(403);
        expect(performance.now() - started).toBeLessThan(250);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await within(5000, async () => Number(/^corsmesh_traffic_flush_failures_total (\d+)/m.exec(await metrics())?.[1]) > 0);
      proxy.heal();
      await gateway.request({ method: 'GET', url: '/t/shop/echo', headers: { origin: 'https://after.test' } });
      await within(10_000, async () => (await refusals()).some((row) => row.origin === 'https://after.test'));
    } finally {
      await gateway.close();
      await proxy.close();
    }
  }, 30_000);
});
