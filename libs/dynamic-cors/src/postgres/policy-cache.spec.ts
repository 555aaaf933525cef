import fc from 'fast-check';
import { decide, DEFAULT_POLICY } from '../core/index.js';
import type { TenantKey } from '../sources/policy-source.js';
import type { TenantPolicy } from './tenant-policy.reader.js';
import { type CachedTenant, PolicyCache, type PolicyCacheEvents, unknownEntryBytes } from './policy-cache.js';

function tenant(slug: string, tenantId = `id-${slug}`): TenantPolicy {
  return { tenantId, slug, name: slug, upstreamUrl: null, version: 1, policy: DEFAULT_POLICY };
}

/** A source of truth in memory: counts reads, can hold them or fail them. */
class FakeStore {
  readonly tenants = new Map<string, TenantPolicy>();
  readonly hostnames = new Map<string, TenantPolicy>();
  reads = 0;
  failing = false;
  private gate?: Promise<void>;
  private open?: () => void;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  load = async (lookup: TenantKey): Promise<TenantPolicy | null> => {
    this.reads++;
    const snapshot = typeof lookup === 'string' ? this.tenants.get(lookup) : this.hostnames.get(lookup.hostname);
    if (this.gate) await this.gate;
    if (this.failing) throw new Error('database down');
    return snapshot ?? null;
  };
}

function cacheOver(store: FakeStore, overrides: Partial<ConstructorParameters<typeof PolicyCache>[0]> = {}) {
  return new PolicyCache({ load: store.load, maxTenants: 100, ttlMs: 60_000, negativeTtlMs: 60_000, ...overrides });
}

describe(PolicyCache.name, () => {
  let store: FakeStore;
  beforeEach(() => {
    store = new FakeStore();
    store.tenants.set('acme', tenant('acme'));
  });

  describe('get', () => {
    it('reads a tenant once, then answers synchronously', async () => {
      const cache = cacheOver(store);

      expect((await cache.get('acme'))?.slug).toBe('acme');
      const again = cache.get('acme');

      expect(again).not.toBeInstanceOf(Promise);
      expect(store.reads).toBe(1);
    });

    it('coalesces concurrent misses for one tenant into one read', async () => {
      const cache = cacheOver(store);
      store.hold();
      const lookups = Array.from({ length: 50 }, () => cache.get('acme'));
      store.release();

      const results = await Promise.all(lookups);

      expect(store.reads).toBe(1);
      expect(new Set(results)).toEqual(new Set([results[0]]));
    });

    it('remembers an unknown tenant, in a bounded cache of its own', async () => {
      const cache = cacheOver(store, { maxUnknown: 10 });

      for (let i = 0; i < 1000; i++) await cache.get(`random-${i}`);
      await cache.get('random-999');
      await cache.get('acme');

      expect(store.reads).toBe(1001);
      expect(cache.size).toBe(1);
    });

    it('bounds the unknown lookups by the bytes their keys take, too', async () => {
      const name = (i: number) => `h${i}.${'x'.repeat(240)}`;
      const cache = cacheOver(store, { maxUnknownBytes: 10 * unknownEntryBytes(`h:${name(0)}`) });

      for (let i = 0; i < 20; i++) await cache.get({ hostname: name(i) });
      const reads = store.reads;
      await cache.get({ hostname: name(19) });
      await cache.get({ hostname: name(0) });

      expect(store.reads - reads).toBe(1);
    });

    it('keeps unknown hostnames through a flood of unknown slugs, each kind under half the bound', async () => {
      const cache = cacheOver(store, { maxUnknown: 10 });
      await cache.get({ hostname: 'nobody.test' });

      for (let i = 0; i < 100; i++) await cache.get(`random-${i}`);
      const reads = store.reads;

      expect(cache.get({ hostname: 'nobody.test' })).toBeNull();
      expect(cache.get('random-99')).toBeNull();
      expect(cache.get('random-94')).toBeInstanceOf(Promise);
      expect(store.reads - reads).toBe(1);
    });

    it('holds at most maxTenants, evicting the least recently used', async () => {
      for (let i = 0; i < 5; i++) store.tenants.set(`t${i}`, tenant(`t${i}`));
      const evicted: string[] = [];
      const cache = cacheOver(store, {
        maxTenants: 3,
        events: { hit() {}, miss() {}, loaded() {}, evicted: () => evicted.push('x') },
      });

      for (let i = 0; i < 5; i++) await cache.get(`t${i}`);

      expect(cache.size).toBe(3);
      expect(evicted).toHaveLength(2);
    });

    it('holds at most maxTenants of slugs and hostnames together, evicting the one served longest ago', async () => {
      store.tenants.set('beta', tenant('beta'));
      store.hostnames.set('api.acme.test', tenant('acme'));
      const cache = cacheOver(store, { maxTenants: 2 });
      await cache.get('acme');
      await cache.get({ hostname: 'api.acme.test' });
      expect(cache.get('acme')).toMatchObject({ slug: 'acme' });

      await cache.get('beta');

      expect(cache.size).toBe(2);
      expect(cache.get('acme')).toMatchObject({ slug: 'acme' });
      expect(cache.get({ hostname: 'api.acme.test' })).toBeInstanceOf(Promise);
    });

    it('tells a slug from a hostname spelt the same', async () => {
      store.tenants.set('localhost', tenant('localhost'));
      const cache = cacheOver(store);

      expect(await cache.get({ hostname: 'localhost' })).toBeNull();
      expect(await cache.get('localhost')).toMatchObject({ slug: 'localhost' });
      expect(cache.get({ hostname: 'localhost' })).toBeNull();
      expect(store.reads).toBe(2);
    });

    it('serves the last known policy while the source fails after the TTL', async () => {
      const cache = cacheOver(store, { ttlMs: 0 });
      await cache.get('acme');
      store.failing = true;

      for (let i = 0; i < 3; i++) {
        expect((cache.get('acme') as { slug: string }).slug).toBe('acme');
        await new Promise((resolve) => setImmediate(resolve));
      }
    });

    it('answers an expired unknown lookup as unknown while the source is down', async () => {
      const cache = cacheOver(store, { negativeTtlMs: 1 });
      expect(await cache.get({ hostname: 'gateway.example.com' })).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 5));
      store.failing = true;

      expect(await cache.get({ hostname: 'gateway.example.com' })).toBeNull();
      expect(store.reads).toBe(2);
    });

    it('keeps answering an expired unknown lookup at once while it is read again, then serves what the read found', async () => {
      const cache = cacheOver(store, { negativeTtlMs: 1 });
      expect(await cache.get('newco')).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 5));
      store.tenants.set('newco', tenant('newco'));
      store.hold();

      const during = [cache.get('newco'), cache.get('newco')];

      expect(during).toEqual([null, null]);
      expect(store.reads).toBe(2);
      store.release();
      await new Promise((resolve) => setImmediate(resolve));
      const after = cache.get('newco');
      expect(after).not.toBeInstanceOf(Promise);
      expect((after as { slug: string }).slug).toBe('newco');
    });

    it('fails a lookup of a tenant it never saw while the source is down', async () => {
      const cache = cacheOver(store);
      store.failing = true;

      await expect(cache.get('acme')).rejects.toThrow('database down');
    });
  });

  describe('invalidate', () => {
    it('evicts the tenant under every lookup it was cached by', async () => {
      store.hostnames.set('api.acme.test', tenant('acme'));
      store.hostnames.set('acme.test', tenant('acme'));
      const cache = cacheOver(store);
      const lookups = ['acme', { hostname: 'api.acme.test' }, { hostname: 'acme.test' }];
      for (const lookup of lookups) await cache.get(lookup);

      cache.invalidate({ tenantId: 'id-acme', slugs: [], hostnames: [] });

      for (const lookup of lookups) expect(cache.get(lookup)).toBeInstanceOf(Promise);
      expect(cache.size).toBe(0);
    });

    it('forgets an unknown slug once a tenant takes it', async () => {
      const cache = cacheOver(store);
      expect(await cache.get('newco')).toBeNull();
      store.tenants.set('newco', tenant('newco'));

      cache.invalidate({ tenantId: 'id-newco', slugs: ['newco'], hostnames: [] });

      expect((await cache.get('newco'))?.slug).toBe('newco');
    });

    it('does not cache a read that was in flight when a change arrived', async () => {
      const cache = cacheOver(store);
      store.hold();
      const stale = cache.get('acme');
      cache.invalidate({ tenantId: 'id-acme', slugs: [], hostnames: [] });
      store.release();
      await stale;

      await cache.get('acme');

      expect(store.reads).toBe(2);
    });
  });

  describe('loads in flight during a change notice', () => {
    it('keeps a load of another tenant, even after many notices', async () => {
      store.tenants.set('other', tenant('other'));
      const cache = cacheOver(store);
      store.hold();
      const loading = cache.get('acme');
      for (let i = 0; i < 100; i++) cache.invalidate({ tenantId: 'id-other', slugs: ['other'], hostnames: [] });
      store.release();
      await loading;

      expect(cache.get('acme')).not.toBeInstanceOf(Promise);
      expect(store.reads).toBe(1);
    });

    it('drops a load whose key a notice named, before the tenant is known', async () => {
      const cache = cacheOver(store);
      store.hold();
      const loading = cache.get('newcomer');
      cache.invalidate({ tenantId: 'id-newcomer', slugs: ['newcomer'], hostnames: [] });
      store.tenants.set('newcomer', tenant('newcomer'));
      store.release();

      expect(await loading).toBeNull();
      expect((await cache.get('newcomer'))?.slug).toBe('newcomer');
    });

    it('drops every load when more notices arrived meanwhile than it remembers', async () => {
      const cache = cacheOver(store);
      store.hold();
      const loading = cache.get('acme');
      for (let i = 0; i < 2000; i++) cache.invalidate({ tenantId: `id-${i}`, slugs: [], hostnames: [] });
      store.release();
      await loading;

      await cache.get('acme');
      expect(store.reads).toBe(2);
    });
  });

  describe('getFirst', () => {
    const gateway = { hostname: 'gateway.test' };
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    it('answers by the first lookup that names a tenant, at once once cached; null when none does', async () => {
      const cache = cacheOver(store);
      const lookups = [gateway, 'acme'];

      expect((await cache.getFirst(lookups))?.slug).toBe('acme');
      expect((cache.getFirst(lookups) as CachedTenant).slug).toBe('acme');
      expect(await cache.getFirst([gateway, 'nobody'])).toBeNull();
      expect(store.reads).toBe(3);
    });

    it('reads an unknown lookup again once its TTL is over, and answers by it once it names a tenant', async () => {
      const cache = cacheOver(store, { negativeTtlMs: 1 });
      const lookups = [gateway, 'acme'];
      await cache.getFirst(lookups);
      expect((cache.getFirst(lookups) as CachedTenant).slug).toBe('acme');
      store.hostnames.set('gateway.test', tenant('gw'));
      await new Promise((resolve) => setTimeout(resolve, 5));

      expect((cache.getFirst(lookups) as CachedTenant).slug).toBe('acme');
      await settle();
      expect((cache.getFirst(lookups) as CachedTenant).slug).toBe('gw');
    });

    it('keeps the least recently used order as reading would, when it gives a kept answer', async () => {
      for (const slug of ['beta', 'carol']) store.tenants.set(slug, tenant(slug));
      const cache = cacheOver(store, { maxTenants: 2 });
      const lookups = [gateway, 'acme'];
      await cache.getFirst(lookups);
      await cache.get('beta');
      expect(cache.getFirst(lookups)).not.toBeInstanceOf(Promise);
      expect(cache.get('beta')).not.toBeInstanceOf(Promise);

      expect(cache.getFirst(lookups)).not.toBeInstanceOf(Promise);
      await cache.get('carol');

      expect(cache.get('acme')).not.toBeInstanceOf(Promise);
      expect(cache.get('beta')).toBeInstanceOf(Promise);
    });

    /** A cache that counts its hits and misses, over a store of its own with acme and beta. */
    function countedCache() {
      const own = new FakeStore();
      for (const slug of ['acme', 'beta']) own.tenants.set(slug, tenant(slug));
      const counts = { hits: 0, misses: 0 };
      const events: PolicyCacheEvents = { hit: () => counts.hits++, miss: () => counts.misses++, evicted() {}, loaded() {} };
      return { store: own, counts, cache: cacheOver(own, { maxTenants: 2, events }) };
    }

    /** The answer as reading each lookup in turn gives it, and whether it came at once. */
    async function byEachRead(cache: PolicyCache, lookups: readonly TenantKey[]) {
      let atOnce = true;
      for (const lookup of lookups) {
        const read = cache.get(lookup);
        if (read instanceof Promise) atOnce = false;
        const found = await read;
        if (found) return { slug: found.slug, atOnce };
      }
      return { slug: null, atOnce };
    }

    async function byGetFirst(cache: PolicyCache, lookups: readonly TenantKey[]) {
      const read = cache.getFirst(lookups);
      return { slug: (await read)?.slug ?? null, atOnce: !(read instanceof Promise) };
    }

    it('gives what reading each lookup in turn gives, whatever changed or was read in between', async () => {
      const lists: TenantKey[][] = [
        [gateway, 'acme'],
        [gateway, 'beta'],
        [{ hostname: 'api.acme.test' }, 'beta'],
      ];
      const operation = fc.oneof(
        // Mostly the same list again, the case where an answer is kept.
        { arbitrary: fc.record({ kind: fc.constant('first' as const), list: fc.integer({ min: 0, max: lists.length - 1 }) }), weight: 6 },
        fc.record({ kind: fc.constant('get' as const), lookup: fc.constantFrom<TenantKey>('acme', 'beta', 'nobody', gateway) }),
        fc.record({ kind: fc.constant('gateway becomes a tenant' as const) }),
        fc.record({ kind: fc.constant('gateway is no tenant' as const) }),
        fc.record({ kind: fc.constant('acme changes' as const) }),
        fc.record({ kind: fc.constant('notices were missed' as const) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { maxLength: 30 }), async (operations) => {
          const [subject, reference] = [countedCache(), countedCache()];
          for (const op of operations) {
            for (const { store: own, cache } of [subject, reference]) {
              if (op.kind === 'gateway becomes a tenant') own.hostnames.set('gateway.test', tenant('gw'));
              if (op.kind === 'gateway is no tenant') own.hostnames.delete('gateway.test');
              if (op.kind.startsWith('gateway ')) cache.invalidate({ tenantId: 'id-gw', slugs: [], hostnames: ['gateway.test'] });
              if (op.kind === 'acme changes') cache.invalidate({ tenantId: 'id-acme', slugs: [], hostnames: [] });
              if (op.kind === 'notices were missed') cache.revalidateAll();
              if (op.kind === 'get') await cache.get(op.lookup);
            }
            if (op.kind === 'first') expect(await byGetFirst(subject.cache, lists[op.list]!)).toEqual(await byEachRead(reference.cache, lists[op.list]!));
            await settle();
            expect(subject.counts).toEqual(reference.counts);
            expect(subject.store.reads).toBe(reference.store.reads);
          }
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('revalidateAll', () => {
    it('reads every tenant again before serving it, and forgets unknown lookups', async () => {
      const cache = cacheOver(store);
      await cache.get('acme');
      await cache.get('nobody');

      cache.revalidateAll();
      store.tenants.set('acme', { ...tenant('acme'), upstreamUrl: 'https://changed.example' });
      store.tenants.set('nobody', tenant('nobody'));

      expect(cache.get('acme')).toBeInstanceOf(Promise);
      expect((await cache.get('acme'))?.upstreamUrl).toBe('https://changed.example');
      expect((await cache.get('nobody'))?.slug).toBe('nobody');
      expect(store.reads).toBe(4);
      // Read again once, then served from memory.
      expect(cache.get('acme')).not.toBeInstanceOf(Promise);
    });

    it('serves a tenant as it was when reading it again fails', async () => {
      const cache = cacheOver(store);
      await cache.get('acme');

      cache.revalidateAll();
      store.failing = true;

      expect((await cache.get('acme'))?.slug).toBe('acme');
      expect(store.reads).toBe(2);
    });

    it('does not serve a suspect that was deleted meanwhile', async () => {
      const cache = cacheOver(store);
      await cache.get('acme');

      cache.revalidateAll();
      store.tenants.delete('acme');

      expect(await cache.get('acme')).toBeNull();
      store.failing = true;
      expect(await cache.get('acme')).toBeNull();
    });

    it('does not keep a load that was in flight when it was called', async () => {
      const cache = cacheOver(store);
      store.hold();
      const before = cache.get('acme');
      cache.revalidateAll();
      store.release();
      await before;

      await cache.get('acme');

      expect(store.reads).toBe(2);
    });
  });

  describe('warm', () => {
    async function* pages(...contents: (readonly TenantPolicy[] | (() => void))[]) {
      for (const content of contents) {
        if (typeof content === 'function') content();
        else yield content;
      }
    }

    it('stores the pages by slug, up to the cache size, and they are served without a read', async () => {
      const cache = cacheOver(store, { maxTenants: 3 });

      const stored = await cache.warm(pages([tenant('a'), tenant('b')], [tenant('c'), tenant('d')]));

      expect(stored).toBe(3);
      expect(cache.get('b')).toMatchObject({ slug: 'b' });
      expect(cache.get('d')).toBeInstanceOf(Promise);
      expect(store.reads).toBe(1);
    });

    it('drops a page that was being read when a change notice arrived', async () => {
      const cache = cacheOver(store);

      // The notice arrives while the second page is read (between the pages' yields).
      const notice = () => cache.invalidate({ tenantId: 'id-b', slugs: ['b'], hostnames: [] });
      const stored = await cache.warm(pages([tenant('a')], notice, [tenant('b')], [tenant('c')]));

      expect(stored).toBe(2);
      expect(cache.get('a')).toMatchObject({ slug: 'a' });
      expect(cache.get('b')).toBeInstanceOf(Promise);
      expect(cache.get('c')).toMatchObject({ slug: 'c' });
    });
  });

  describe('expiring origin rules', () => {
    const origin = 'https://pr-7.example.com';
    const allows = (found: ReturnType<PolicyCache['get']>) =>
      decide((found as NonNullable<Awaited<typeof found>>).policy, { method: 'GET', origin }).allowed;

    it('stops matching a rule from its expiry on, with no read and no notice', async () => {
      const cache = cacheOver(store);
      const expiresAt = new Date(Date.now() + 150);
      store.tenants.set('acme', {
        ...tenant('acme'),
        policy: { ...DEFAULT_POLICY, origins: [{ kind: 'exact', value: origin, expiresAt }] },
      });
      await cache.get('acme');
      expect(allows(cache.get('acme'))).toBe(true);
      store.failing = true;

      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(allows(cache.get('acme'))).toBe(false);
      expect(store.reads).toBe(1);
    });
  });
});
