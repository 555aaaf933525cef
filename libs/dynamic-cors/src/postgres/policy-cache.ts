import { LRUCache } from 'lru-cache';
import { compilePolicy } from '../core/index.js';
import type { CorsTarget, TenantKey } from '../sources/policy-source.js';
import type { PolicyChangedEvent } from './policy-changed.channel.js';
import type { TenantPolicy } from './tenant-policy.reader.js';

/**
 * A cached tenant: its compiled policy, and where the gateway proxies it (`upstreamUrl`). The
 * rest of the row (name, version, the policy as read, rule ids aside) is not kept: nothing
 * reads it, and it was about a kilobyte of every cached policy (issue 6's memory target).
 */
export interface CachedTenant extends CorsTarget {
  readonly upstreamUrl: string | null;
}

export interface PolicyCacheOptions {
  /** Reads one tenant from the source of truth (one query); null when it does not exist. */
  readonly load: (lookup: TenantKey) => Promise<TenantPolicy | null>;
  readonly maxTenants: number;
  /** After this long an entry is re-read in the background; it keeps being served meanwhile. */
  readonly ttlMs: number;
  /** How long a lookup that found no tenant is remembered. */
  readonly negativeTtlMs: number;
  /** Most unknown lookups remembered at once (their own bound: a flood cannot evict tenants). */
  readonly maxUnknown?: number;
  /** Most memory the unknown lookups' keys may take, counted as {@link unknownEntryBytes}. */
  readonly maxUnknownBytes?: number;
  readonly events?: PolicyCacheEvents;
}

/** Counters the cache reports to (metrics). */
export interface PolicyCacheEvents {
  hit(): void;
  miss(): void;
  evicted(): void;
  loaded(seconds: number): void;
}

interface Entry {
  value: CachedTenant;
  loadedAt: number;
  /** The resync it was loaded in; an entry of an earlier one is read again before it is served. */
  readonly resync: number;
  /**
   * When (`performance.now()` time) this entry next needs attention: its TTL, or the expiry of
   * one of its origin rules, whichever comes first. The one comparison a cache hit makes.
   */
  dueAt: number;
  /** The policy as read, kept only while a rule of it is to expire, to compile it again then. */
  readonly source: TenantPolicy | undefined;
}

/** A change notice as the cache remembers it, to judge the loads that were in flight. */
interface Invalidation {
  readonly epoch: number;
  readonly tenantId: string;
  readonly keys: readonly string[];
}

/**
 * Change notices remembered to judge loads in flight. A load older than all of them is not
 * kept; with loads of a few milliseconds, and even 300 ms ones, a thousand is far more than
 * arrive meanwhile.
 */
const REMEMBERED_INVALIDATIONS = 1024;

const noEvents: PolicyCacheEvents = { hit() {}, miss() {}, evicted() {}, loaded() {} };

/**
 * What one remembered unknown lookup costs, roughly: its key (two bytes a character) and the
 * LRU's bookkeeping. Bounding by bytes as well as by count (issue 19, item 8) keeps a flood of
 * long names from pinning memory, whatever the tenancy layer lets through.
 */
export function unknownEntryBytes(key: string): number {
  return 2 * key.length + 96;
}

function cachedTenantOf(tenant: TenantPolicy, now = Date.now()): CachedTenant {
  const { tenantId, slug, upstreamUrl } = tenant;
  return { tenantId, slug, policy: compilePolicy(tenant.policy, now), upstreamUrl };
}

function keyOf(lookup: TenantKey): string {
  return typeof lookup === 'string' ? `s:${lookup}` : `h:${lookup.hostname}`;
}

/**
 * The in-process copy of tenant policies (PostgreSQL is the source of truth) of the gateway and
 * of `postgresPolicySource`.
 *
 * - Bounded LRU of tenants; unknown lookups in a separate, smaller LRU with a short TTL.
 * - Concurrent misses for one key share one load.
 * - An entry older than the TTL is re-read in the background and served until then; when the
 *   database is down, the last known policy keeps being served, and an expired "no such
 *   tenant" answer is given again rather than failing.
 * - {@link invalidate} evicts by tenant id, slug and hostname (from the database's change
 *   notices); a load that was in flight during an invalidation of the same tenant or name is
 *   not cached, since it may have read the data from before the change. Loads of other
 *   tenants are kept: discarding every load in flight on any notice meant that, with a slow
 *   database and a busy administrator, no miss was ever cached.
 * - {@link revalidateAll} (notices may have been missed) makes every entry a suspect: read
 *   again before it is served, and served as it was only if that read fails, as a known tenant
 *   is during an outage. Flushing instead turned every connection reset into a wave of misses
 *   that failed with 503 when the next reset hit them (the reset storm of issue 17).
 */
export class PolicyCache {
  private readonly tenants: LRUCache<string, Entry>;
  private readonly unknown: LRUCache<string, true>;
  private readonly inFlight = new Map<string, Promise<CachedTenant | null>>();
  /**
   * Cache keys of each tenant id, to evict all of them on a change notice. Usually one key
   * (its slug, or its hostname), kept as a plain string: a Set per tenant cost ~150 bytes
   * of every cached policy (issue 6's memory target).
   */
  private readonly keysByTenant = new Map<string, string | Set<string>>();
  private readonly events: PolicyCacheEvents;
  /** Bumped by every invalidation and resync; a load remembers the epoch it started in. */
  private epoch = 0;
  /** Loads started before this epoch are never kept (the last resync). */
  private barrier = 0;
  /** The latest invalidations, oldest first (at most {@link REMEMBERED_INVALIDATIONS}). */
  private readonly invalidations: Invalidation[] = [];
  /** Bumped by {@link revalidateAll}; entries of an older resync are suspects. */
  private resync = 0;

  constructor(private readonly options: PolicyCacheOptions) {
    this.events = options.events ?? noEvents;
    this.tenants = new LRUCache<string, Entry>({
      max: options.maxTenants,
      dispose: (entry, key, reason) => {
        this.unindex(entry.value.tenantId, key);
        if (reason === 'evict') this.events.evicted();
      },
    });
    this.unknown = new LRUCache<string, true>({
      max: options.maxUnknown ?? 10_000,
      maxSize: options.maxUnknownBytes ?? 4 * 1024 * 1024,
      sizeCalculation: (_value, key) => unknownEntryBytes(key),
      ttl: options.negativeTtlMs,
    });
  }

  /** The tenant when its lookup is cached (null: known not to exist); undefined on a miss. */
  peek(lookup: TenantKey): CachedTenant | null | undefined {
    const key = keyOf(lookup);
    const entry = this.tenants.get(key);
    if (entry !== undefined && entry.resync === this.resync) {
      this.events.hit();
      if (performance.now() >= entry.dueAt) this.attend(key, lookup, entry);
      return entry.value;
    }
    if (this.unknown.has(key)) {
      this.events.hit();
      return null;
    }
    if (this.unknown.get(key, { allowStale: true, noDeleteOnStaleGet: true }) === true) {
      // Past its TTL: still unknown until the read says otherwise.
      this.events.hit();
      this.recheckUnknown(key, lookup);
      return null;
    }
    return undefined;
  }

  /** Reads the tenant through the cache, sharing one load among concurrent misses. */
  get(lookup: TenantKey): CachedTenant | null | Promise<CachedTenant | null> {
    const cached = this.peek(lookup);
    if (cached !== undefined) return cached;
    const key = keyOf(lookup);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    this.events.miss();
    return this.track(
      key,
      this.load(key, lookup).catch((error: unknown) => {
        // The source is down: a suspect keeps the policy it had, as a known tenant does.
        const suspect = this.tenants.get(key);
        if (suspect !== undefined) return this.unexpired(suspect);
        // A lookup that found nothing before its TTL ran out still finds nothing. Without
        // this, a request by path (`/t/<slug>`) would fail as soon as its Host's "no such
        // tenant" entry expired, even with the slug's policy in the cache. Remembered for
        // another TTL before retrying.
        if (this.unknown.get(key, { allowStale: true, noDeleteOnStaleGet: true }) !== true) throw error;
        this.unknown.set(key, true);
        return null;
      }),
    );
  }

  /** Applies a change notice: evicts the tenant under every key, and its names' unknown entries. */
  invalidate(event: PolicyChangedEvent): void {
    this.epoch++;
    const named = [...event.slugs.map((slug) => `s:${slug}`), ...event.hostnames.map((hostname) => `h:${hostname}`)];
    this.invalidations.push({ epoch: this.epoch, tenantId: event.tenantId, keys: named });
    if (this.invalidations.length > REMEMBERED_INVALIDATIONS) this.invalidations.shift();
    const keys = this.keysByTenant.get(event.tenantId);
    for (const key of typeof keys === 'string' ? [keys] : [...(keys ?? [])]) this.tenants.delete(key);
    for (const slug of event.slugs) this.forget(`s:${slug}`);
    for (const hostname of event.hostnames) this.forget(`h:${hostname}`);
  }

  /**
   * After a lost notification connection (notices may have been missed): no entry is served
   * again before it is read again, unknown lookups are forgotten, loads in flight not kept.
   */
  revalidateAll(): void {
    this.epoch++;
    this.barrier = this.epoch;
    this.invalidations.length = 0;
    this.resync++;
    this.unknown.clear();
    this.inFlight.clear();
  }

  get size(): number {
    return this.tenants.size;
  }

  private forget(key: string): void {
    this.tenants.delete(key);
    this.unknown.delete(key);
    this.inFlight.delete(key);
  }

  private async load(key: string, lookup: TenantKey): Promise<CachedTenant | null> {
    const epoch = this.epoch;
    const started = performance.now();
    const tenant = await this.options.load(lookup);
    this.events.loaded((performance.now() - started) / 1000);
    if (!tenant) {
      this.tenants.delete(key);
      if (this.stillCurrent(epoch, key, undefined)) this.unknown.set(key, true);
      return null;
    }
    const value = cachedTenantOf(tenant);
    if (this.stillCurrent(epoch, key, tenant.tenantId)) this.store(key, value, tenant);
    return value;
  }

  /** Whether a load started in `epoch` for `key` (found as `tenantId`) missed no change notice. */
  private stillCurrent(epoch: number, key: string, tenantId: string | undefined): boolean {
    if (epoch === this.epoch) return true;
    if (epoch < this.barrier) return false;
    const oldest = this.invalidations[0];
    if (oldest === undefined || oldest.epoch > epoch + 1) return false;
    for (let i = this.invalidations.length - 1; i >= 0 && this.invalidations[i]!.epoch > epoch; i--) {
      const change = this.invalidations[i]!;
      if (change.tenantId === tenantId || change.keys.includes(key)) return false;
    }
    return true;
  }

  /**
   * Fills the cache by slug from pages of tenants (start-up, before traffic), until the pages
   * end or the cache is full. A page read while a change notice arrived is dropped, as a load
   * would be. Answers how many tenants were stored.
   */
  async warm(pages: AsyncIterable<readonly TenantPolicy[]>): Promise<number> {
    let stored = 0;
    let epoch = this.epoch;
    for await (const page of pages) {
      if (epoch === this.epoch) {
        for (const tenant of page) {
          if (this.tenants.size >= this.options.maxTenants) return stored;
          this.store(keyOf(tenant.slug), cachedTenantOf(tenant), tenant);
          stored++;
        }
      }
      epoch = this.epoch;
    }
    return stored;
  }

  private store(key: string, value: CachedTenant, source: TenantPolicy): void {
    const loadedAt = performance.now();
    const expiring = value.policy.nextExpiry !== Infinity;
    const entry: Entry = { value, loadedAt, resync: this.resync, dueAt: 0, source: expiring ? source : undefined };
    entry.dueAt = this.dueAt(entry);
    // A name that was unknown (past its TTL, read again) names this tenant now.
    this.unknown.delete(key);
    this.tenants.set(key, entry);
    const keys = this.keysByTenant.get(value.tenantId);
    if (keys === undefined || keys === key) this.keysByTenant.set(value.tenantId, key);
    else if (typeof keys === 'string') this.keysByTenant.set(value.tenantId, new Set([keys, key]));
    else keys.add(key);
  }

  private unindex(tenantId: string, key: string): void {
    const keys = this.keysByTenant.get(tenantId);
    if (keys === key) {
      this.keysByTenant.delete(tenantId);
    } else if (typeof keys === 'object') {
      keys.delete(key);
      if (keys.size === 1) this.keysByTenant.set(tenantId, keys.values().next().value!);
    }
  }

  /** When the entry's TTL runs out or its next origin rule expires, in `performance.now()` time. */
  private dueAt(entry: Entry): number {
    const expiry = entry.value.policy.nextExpiry;
    const ttlEnd = entry.loadedAt + this.options.ttlMs;
    return expiry === Infinity ? ttlEnd : Math.min(ttlEnd, performance.now() + (expiry - Date.now()));
  }

  /**
   * An entry past its {@link Entry.dueAt}: an expired origin rule is dropped at once by compiling
   * the policy read again, here, with no database read (so it stops matching on time even
   * without a change notice, and while the database is down); past its TTL it is re-read in
   * the background.
   */
  private attend(key: string, lookup: TenantKey, entry: Entry): void {
    this.unexpired(entry);
    if (performance.now() - entry.loadedAt > this.options.ttlMs) this.refresh(key, lookup, entry);
    entry.dueAt = this.dueAt(entry);
  }

  /** The entry's tenant, its policy compiled again first if one of its origin rules has expired. */
  private unexpired(entry: Entry): CachedTenant {
    if (entry.source !== undefined && Date.now() >= entry.value.policy.nextExpiry) entry.value = cachedTenantOf(entry.source);
    return entry.value;
  }

  /**
   * An unknown lookup past its TTL keeps answering "unknown" while it is read again in the
   * background, as a known tenant past its TTL keeps its policy. Change notices forget unknown
   * entries at once (and a lost notice connection forgets them all), so the TTL is only a
   * safety net; blocking on it made every request of a path-routed tenant that arrived on the
   * gateway's own Host wait for a query every few seconds (issue 13).
   */
  private recheckUnknown(key: string, lookup: TenantKey): void {
    if (this.inFlight.has(key)) return;
    void this.track(
      key,
      this.load(key, lookup).catch(() => {
        // Source down: still unknown, asked again after another TTL.
        this.unknown.set(key, true);
        return null;
      }),
    );
  }

  private refresh(key: string, lookup: TenantKey, entry: Entry): void {
    if (this.inFlight.has(key)) return;
    // Not refreshed again until this attempt is over, even if it fails (database down).
    entry.loadedAt = performance.now();
    void this.track(key, this.load(key, lookup).catch(() => entry.value));
  }

  /** Shares `load` with every lookup of `key` until it settles. */
  private track(key: string, load: Promise<CachedTenant | null>): Promise<CachedTenant | null> {
    const tracked = load.finally(() => {
      if (this.inFlight.get(key) === tracked) this.inFlight.delete(key);
    });
    this.inFlight.set(key, tracked);
    return tracked;
  }
}
