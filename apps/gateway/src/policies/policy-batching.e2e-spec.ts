import pg from 'pg';
import { PrismaService } from '#database';
import { PolicyCache, PolicyChangeListener, policyBatchLoader, TenantPolicyReader, type TenantPolicy } from '#dynamic-cors/postgres';
import type { TenantKey } from '#dynamic-cors';
import { startQueryCountingProxy, type QueryCountingProxy } from '../../../../bench/lib/query-counter.js';
import { GatewayHarness } from '../../../../test/support/gateway-harness.js';
import { testLogger } from '../../../../test/support/silent-logger.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { TenantSeed } from '../../../../test/support/tenant-seed.js';

const TENANTS = 40;

// The statements are counted on the wire, by a proxy between the reader and PostgreSQL.
describe('policy cache misses, batched (real PostgreSQL)', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let proxy: QueryCountingProxy;
  let prisma: PrismaService;
  let reader: TenantPolicyReader;
  const tenantIds = new Map<string, string>();

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    for (let i = 0; i < TENANTS; i++) {
      const slug = `shop-${i}`;
      tenantIds.set(slug, await seed.tenant(slug, { hostnames: [`api.shop-${i}.test`], origins: [{ kind: 'exact', value: `https://app.shop-${i}.test` }] }));
    }
    const target = new URL(db.url);
    proxy = await startQueryCountingProxy({ host: target.hostname, port: Number(target.port) });
    const proxied = new URL(db.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    proxied.searchParams.set('sslmode', 'disable');
    prisma = new PrismaService({ url: proxied.href, poolSize: 4 });
    await prisma.$connect();
    reader = new TenantPolicyReader(prisma.pool);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await proxy.close();
    await seed.close();
    await db.drop();
  });

  function cacheOver(readMany: (lookups: readonly TenantKey[]) => Promise<readonly (TenantPolicy | null)[]>, negativeTtlMs = 60_000) {
    return new PolicyCache({ load: policyBatchLoader({ readMany }), maxTenants: 1000, ttlMs: 60_000, negativeTtlMs });
  }

  it('reads concurrent misses for many tenants, slugs and hostnames, in one statement', async () => {
    const cache = cacheOver((lookups) => reader.readMany(lookups));
    proxy.reset();

    const bySlug = Array.from({ length: TENANTS }, (_, i) => cache.get(`shop-${i}`));
    const byHost = cache.get({ hostname: 'api.shop-7.test' });
    const unknown = [cache.get('nobody'), cache.get({ hostname: 'nowhere.test' })];
    const found = await Promise.all(bySlug);

    expect(proxy.counts().statements).toBe(1);
    expect(found.map((tenant) => tenant?.slug)).toEqual(Array.from({ length: TENANTS }, (_, i) => `shop-${i}`));
    expect(found[3]?.policy.exactOrigin('https://app.shop-3.test')).toBeDefined();
    expect((await byHost)?.slug).toBe('shop-7');
    expect(await Promise.all(unknown)).toEqual([null, null]);
  });

  it('sends no more than two statements at once: the misses asked for meanwhile wait, gathered into one', async () => {
    const gates: (() => void)[] = [];
    const batchSizes: number[] = [];
    const cache = cacheOver(async (lookups) => {
      batchSizes.push(lookups.length);
      const rows = await reader.readMany(lookups);
      await new Promise<void>((resolve) => gates.push(resolve));
      return rows;
    });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    proxy.reset();

    const first = [cache.get('shop-0'), cache.get('shop-1')];
    await turn();
    const second = cache.get('shop-2');
    while (gates.length < 2) await turn();
    // Both slots taken: the misses of the next turns all join the batch that waits.
    const later: ReturnType<typeof cache.get>[] = [];
    for (let i = 3; i < 13; i++) {
      later.push(cache.get(`shop-${i}`));
      await turn();
    }
    expect(batchSizes).toEqual([2, 1]);

    gates.shift()!();
    while (gates.length < 2) await turn();
    expect(batchSizes).toEqual([2, 1, 10]);
    for (const release of gates.splice(0)) release();
    const found = await Promise.all([...first, second, ...later]);
    expect(found.map((tenant) => tenant?.slug)).toEqual(Array.from({ length: 13 }, (_, i) => `shop-${i}`));
    expect(proxy.counts().statements).toBe(3);
  });

  it('runs the batch read on a generic plan, planned once per connection, however few tenants a batch holds', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const direct = new TenantPolicyReader(client);
      for (let i = 0; i < 20; i++) {
        expect((await direct.readMany([`shop-${i}`]))[0]?.slug).toBe(`shop-${i}`);
        expect((await direct.readMany([{ hostname: `api.shop-${i}.test` }]))[0]?.slug).toBe(`shop-${i}`);
      }
      const { rows } = await client.query<{ name: string; generic_plans: string; custom_plans: string }>(
        'SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name',
      );
      // PostgreSQL tries five custom plans before it compares them with the generic one.
      expect(rows.map((row) => [row.name, Number(row.custom_plans), Number(row.generic_plans)])).toEqual([
        ['corsmesh_read_policies_by_hostname', 5, 15],
        ['corsmesh_read_policies_by_slug', 5, 15],
      ]);
    } finally {
      await client.end();
    }
  });

  it('reads an unknown tenant at most once per negative TTL, however often it is asked for, and never waits for the re-read', async () => {
    const cache = cacheOver((lookups) => reader.readMany(lookups), 300);
    proxy.reset();

    await Promise.all(Array.from({ length: 20 }, () => cache.get('ghost')));
    for (let i = 0; i < 20; i++) await cache.get('ghost');
    expect(proxy.counts().statements).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 350));
    // Past the TTL: still answered "unknown" at once, read again once in the background.
    expect(Array.from({ length: 20 }, () => cache.get('ghost'))).toEqual(Array(20).fill(null));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(proxy.counts().statements).toBe(2);
  });

  it('rejects every lookup of a batch whose statement fails', async () => {
    const cache = cacheOver((lookups) => reader.readMany(lookups));
    proxy.reset();

    // A NUL byte is not valid UTF-8 text for PostgreSQL: the whole statement fails.
    const lookups = [cache.get('shop-1'), cache.get('bad\u0000slug'), cache.get({ hostname: 'api.shop-2.test' })];
    const outcomes = await Promise.allSettled(lookups);

    expect(proxy.counts().statements).toBe(1);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // Nothing was remembered from the failed batch: the next read goes to the database again.
    expect((await cache.get('shop-1'))?.slug).toBe('shop-1');
    expect(proxy.counts().statements).toBe(2);
  });

  it('does not keep a batch result read before a change whose notice arrived while the batch was in flight', async () => {
    let releaseBatch!: () => void;
    const held = new Promise<void>((resolve) => (releaseBatch = resolve));
    let batches = 0;
    // The first batch has read its rows (the policy before the change), then waits.
    const cache = cacheOver(async (lookups) => {
      const rows = await reader.readMany(lookups);
      if (batches++ === 0) await held;
      return rows;
    });
    let noticed!: () => void;
    const notice = new Promise<void>((resolve) => (noticed = resolve));
    const listener = new PolicyChangeListener({
      databaseUrl: db.url,
      logger: testLogger(),
      onChange: (event) => {
        cache.invalidate(event);
        noticed();
      },
      onResync: () => cache.revalidateAll(),
      heartbeatIntervalMs: 5000,
      heartbeatTimeoutMs: 3000,
      connectTimeoutMs: 5000,
      keepAliveDelayMs: 5000,
    });
    await listener.start();
    try {
      const slug = 'shop-20';
      const before = cache.get(slug);
      const neighbour = cache.get('shop-21');
      while (batches === 0) await new Promise((resolve) => setTimeout(resolve, 5));

      await seed.addOrigin(tenantIds.get(slug)!, 'exact', 'https://new.shop-20.test');
      await notice;
      releaseBatch();

      // The waiters get what their batch read; the cache does not keep it.
      expect((await before)?.policy.exactOrigin('https://new.shop-20.test')).toBeUndefined();
      expect((await neighbour)?.slug).toBe('shop-21');
      const after = await cache.get(slug);
      expect(after?.policy.exactOrigin('https://new.shop-20.test')).toBeDefined();
    } finally {
      await listener.stop();
    }
  });

  it('starts with the most recently updated tenants cached, before it takes traffic', async () => {
    // shop-0 … shop-39 were created in that order: the ten most recent are shop-30 … shop-39.
    const gateway = await GatewayHarness.start(db.url, { POLICY_CACHE_WARM_TENANTS: '10' });
    try {
      const misses = async () => Number(/corsmesh_policy_cache_misses_total (\d+)/.exec((await gateway.request({ url: '/metrics' })).body)![1]);
      // The first tenant request also looks its Host (`localhost`, no tenant's) up once: made before counting.
      await gateway.request({ url: '/t/shop-30/echo' });
      const before = await misses();
      for (let i = 30; i < TENANTS; i++) {
        const response = await gateway.request({ url: `/t/shop-${i}/echo`, headers: { origin: `https://app.shop-${i}.test` } });
        expect(response.headers['access-control-allow-origin']).toBe(`https://app.shop-${i}.test`);
      }
      expect(await misses()).toBe(before);

      await gateway.request({ url: '/t/shop-29/echo' });
      expect(await misses()).toBe(before + 1);
    } finally {
      await gateway.close();
    }
  });
});
