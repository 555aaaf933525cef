import { LRUCache } from 'lru-cache';
import { compilePolicy } from '../core/index.js';
import type { CorsTarget, TenantKey } from '../sources/policy-source.js';
import { LookupMap, lookupOf, sameLookup } from './lookup-map.js';
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
  /**
   * Most unknown lookups remembered at once (their own bound: a flood cannot evict tenants),
   * half of them slugs and half hostnames: a flood of one kind cannot evict the other either.
   */
  readonly maxUnknown?: number;
  /** Most memory the unknown lookups' names may take, counted as {@link unknownEntryBytes}, half each kind. */
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
  /** When it was last served, as a count of the cache's uses: which of the two kinds' LRUs to evict from. */
  usedAt: number;
  /** The policy as read, kept only while a rule of it is to expire, to compile it again then. */
  readonly source: TenantPolicy | undefined;
}

/**
 * The last answer of {@link PolicyCache.getFirst}, given again for the same list of lookups
 * while it stands: the tenant's entry, found by the lookup after `unknown` unknown ones.
 */
interface KeptAnswer {
  readonly lookups: readonly TenantKey[];
  readonly entry: Entry;
  readonly unknown: number;
  /** When (`performance.now()` time) the entry or one of the unknown lookups is due. */
  readonly until: number;
}

/** A change notice as the cache remembers it, to judge the loads that were in flight. */
interface Invalidation {
  readonly epoch: number;
  readonly tenantId: string;
  readonly lookups: readonly TenantKey[];
}

/**
 * Change notices remembered to judge loads in flight. A load older than all of them is not
 * kept; with loads of a few milliseconds, and even 300 ms ones, a thousand is far more than
 * arrive meanwhile.
 */
const REMEMBERED_INVALIDATIONS = 1024;

const noEvents: PolicyCacheEvents = { hit() {}, miss() {}, evicted() {}, loaded() {} };

/**
 * What one remembered unknown lookup costs, roughly: its name (two bytes a character) and the
 * LRU's bookkeeping. Bounding by bytes as well as by count (issue 19, item 8) keeps a flood of
 * long names from pinning memory, whatever the tenancy layer lets through.
 */
export function unknownEntryBytes(name: string): number {
  return 2 * name.length + 96;
}

function cachedTenantOf(tenant: TenantPolicy, now = Date.now()): CachedTenant {
  const { tenantId, slug, upstreamUrl } = tenant;
  return { tenantId, slug, policy: compilePolicy(tenant.policy, now), upstreamUrl };
}

/**
 * The in-process copy of tenant policies (PostgreSQL is the source of truth) of the gateway and
 * of `postgresPolicySource`.
 *
 * - Bounded LRU of tenants; unknown lookups in a separate, smaller LRU with a short TTL. Each
 *   is one LRU per kind of lookup ({@link LookupMap}), the tenants' two under one bound.
 * - Concurrent misses for one lookup share one load.
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
  private readonly tenants: LookupMap<Entry, LRUCache<string, Entry>>;
  /**
   * Unknown lookups, each with when its TTL ends (`performance.now()` time). Not lru-cache's own
   * TTL: to tell an entry's age it reads the clock and, to read it less often, starts a
   * millisecond timer each time it did, a timer per millisecond under traffic (issue 13).
   */
  private readonly unknown: LookupMap<number, LRUCache<string, number>>;
  private readonly inFlight = new LookupMap<Promise<CachedTenant | null>>(() => new Map());
  /**
   * Lookups of each tenant id, to evict all of them on a change notice. Usually one (its slug,
   * or its hostname), kept as it is: a Set per tenant cost ~150 bytes of every cached policy
   * (issue 6's memory target).
   */
  private readonly lookupsByTenant = new Map<string, TenantKey | TenantKey[]>();
  private readonly events: PolicyCacheEvents;
  /** Bumped by every invalidation and resync; a load remembers the epoch it started in. */
  private epoch = 0;
  /** Loads started before this epoch are never kept (the last resync). */
  private barrier = 0;
  /** The latest invalidations, oldest first (at most {@link REMEMBERED_INVALIDATIONS}). */
  private readonly invalidations: Invalidation[] = [];
  /** Bumped by {@link revalidateAll}; entries of an older resync are suspects. */
  private resync = 0;
  /** Counts the entries served and stored, to stamp {@link Entry.usedAt}. */
  private uses = 0;
  /** Forgotten by every change to the entries and by every other read (see {@link getFirst}). */
  private kept: KeptAnswer | undefined;

  constructor(private readonly options: PolicyCacheOptions) {
    this.events = options.events ?? noEvents;
    // Each kind's LRU could hold every tenant; `store` keeps the two together under the bound.
    this.tenants = new LookupMap(
      (kind) =>
        new LRUCache<string, Entry>({
          max: options.maxTenants,
          dispose: (entry, name, reason) => {
            this.kept = undefined;
            this.unindex(entry.value.tenantId, lookupOf(kind, name));
            if (reason === 'evict') this.events.evicted();
          },
        }),
    );
    const maxUnknown = Math.ceil((options.maxUnknown ?? 10_000) / 2);
    const maxUnknownBytes = Math.ceil((options.maxUnknownBytes ?? 4 * 1024 * 1024) / 2);
    this.unknown = new LookupMap(
      () =>
        new LRUCache<string, number>({
          max: maxUnknown,
          maxSize: maxUnknownBytes,
          sizeCalculation: (_value, name) => unknownEntryBytes(name),
        }),
    );
  }

  /** The tenant when its lookup is cached (null: known not to exist); undefined on a miss. */
  peek(lookup: TenantKey): CachedTenant | null | undefined {
    const found = this.lookUp(lookup);
    return found === undefined ? undefined : typeof found === 'number' ? null : found.value;
  }

  /** Reads the tenant through the cache, sharing one load among concurrent misses. */
  get(lookup: TenantKey): CachedTenant | null | Promise<CachedTenant | null> {
    const cached = this.peek(lookup);
    return cached !== undefined ? cached : this.miss(lookup);
  }

  /**
   * A cached lookup's entry, or when its "no such tenant" answer is due (a number); undefined on
   * a miss. A hit is counted and attended to as served; any other kept answer is forgotten.
   */
  private lookUp(lookup: TenantKey): Entry | number | undefined {
    this.kept = undefined;
    const entry = this.tenants.get(lookup);
    if (entry !== undefined && entry.resync === this.resync) {
      this.events.hit();
      entry.usedAt = ++this.uses;
      if (performance.now() >= entry.dueAt) this.attend(lookup, entry);
      return entry;
    }
    const unknownUntil = this.unknown.get(lookup);
    if (unknownUntil === undefined) return undefined;
    this.events.hit();
    // Past its TTL: still unknown until the read says otherwise.
    if (performance.now() >= unknownUntil) this.recheckUnknown(lookup);
    return unknownUntil;
  }

  /** Reads a lookup that is not cached, sharing one load among concurrent misses. */
  private miss(lookup: TenantKey): Promise<CachedTenant | null> {
    const pending = this.inFlight.get(lookup);
    if (pending) return pending;
    this.events.miss();
    return this.track(
      lookup,
      this.load(lookup).catch((error: unknown) => {
        // The source is down: a suspect keeps the policy it had, as a known tenant does.
        const suspect = this.tenants.get(lookup);
        if (suspect !== undefined) return this.unexpired(suspect);
        // A lookup that found nothing before its TTL ran out still finds nothing. Without
        // this, a request by path (`/t/<slug>`) would fail as soon as its Host's "no such
        // tenant" entry expired, even with the slug's policy in the cache. Remembered for
        // another TTL before retrying.
        if (!this.unknown.has(lookup)) throw error;
        this.rememberUnknown(lookup);
        return null;
      }),
    );
  }

  /**
   * The tenant of the first of `lookups` that names one (null when none does), each read
   * through the cache as {@link get} reads it, in order: the gateway's Host, then path slug.
   *
   * The answer found at once is kept, and given again for the same list (the same array: the
   * gateway's address reader hands the last one out again) until any entry changes, another
   * read comes between, or the entry or one of the unknown lookups before it is due. Until then
   * the reads would find the same, with the same effects (hits counted, the entry stamped as
   * used; no LRU order to update, as nothing else was read meanwhile); two lookups in two LRUs
   * and two clock readings were most of finding a tenant, some 0.7 µs (issue 13).
   */
  getFirst(lookups: readonly TenantKey[]): CachedTenant | null | Promise<CachedTenant | null> {
    const kept = this.kept;
    if (kept !== undefined && kept.lookups === lookups && performance.now() < kept.until) {
      for (let index = 0; index <= kept.unknown; index++) this.events.hit();
      kept.entry.usedAt = ++this.uses;
      return kept.entry.value;
    }
    return this.firstFrom(lookups, 0);
  }

  private firstFrom(lookups: readonly TenantKey[], from: number): CachedTenant | null | Promise<CachedTenant | null> {
    // When the first of the unknown lookups read so far is due.
    let until = Infinity;
    for (let index = from; index < lookups.length; index++) {
      const lookup = lookups[index]!;
      const found = this.lookUp(lookup);
      if (found === undefined) return this.miss(lookup).then((tenant) => tenant ?? this.firstFrom(lookups, index + 1));
      if (typeof found === 'number') {
        until = Math.min(until, found);
        continue;
      }
      // Kept only when every read was a hit: each of them cleared what was kept before.
      if (from === 0) this.kept = { lookups, entry: found, unknown: index, until: Math.min(until, found.dueAt) };
      return found.value;
    }
    return null;
  }

  /** Applies a change notice: evicts the tenant under every lookup, and its names' unknown entries. */
  invalidate(event: PolicyChangedEvent): void {
    this.kept = undefined;
    this.epoch++;
    const named: TenantKey[] = [...event.slugs, ...event.hostnames.map((hostname) => ({ hostname }))];
    this.invalidations.push({ epoch: this.epoch, tenantId: event.tenantId, lookups: named });
    if (this.invalidations.length > REMEMBERED_INVALIDATIONS) this.invalidations.shift();
    // A copy: each deletion unindexes its lookup from the list.
    const indexed = this.lookupsByTenant.get(event.tenantId) ?? [];
    for (const lookup of Array.isArray(indexed) ? [...indexed] : [indexed]) this.tenants.delete(lookup);
    for (const lookup of named) this.forget(lookup);
  }

  /**
   * After a lost notification connection (notices may have been missed): no entry is served
   * again before it is read again, unknown lookups are forgotten, loads in flight not kept.
   */
  revalidateAll(): void {
    this.kept = undefined;
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

  private forget(lookup: TenantKey): void {
    this.kept = undefined;
    this.tenants.delete(lookup);
    this.unknown.delete(lookup);
    this.inFlight.delete(lookup);
  }

  /** Remembers that `lookup` names no tenant, for another TTL. */
  private rememberUnknown(lookup: TenantKey): void {
    this.kept = undefined;
    this.unknown.set(lookup, performance.now() + this.options.negativeTtlMs);
  }

  private async load(lookup: TenantKey): Promise<CachedTenant | null> {
    const epoch = this.epoch;
    const started = performance.now();
    const tenant = await this.options.load(lookup);
    this.events.loaded((performance.now() - started) / 1000);
    if (!tenant) {
      this.tenants.delete(lookup);
      if (this.stillCurrent(epoch, lookup, undefined)) this.rememberUnknown(lookup);
      return null;
    }
    const value = cachedTenantOf(tenant);
    if (this.stillCurrent(epoch, lookup, tenant.tenantId)) this.store(lookup, value, tenant);
    return value;
  }

  /** Whether a load started in `epoch` for `lookup` (found as `tenantId`) missed no change notice. */
  private stillCurrent(epoch: number, lookup: TenantKey, tenantId: string | undefined): boolean {
    if (epoch === this.epoch) return true;
    if (epoch < this.barrier) return false;
    const oldest = this.invalidations[0];
    if (oldest === undefined || oldest.epoch > epoch + 1) return false;
    for (let i = this.invalidations.length - 1; i >= 0 && this.invalidations[i]!.epoch > epoch; i--) {
      const change = this.invalidations[i]!;
      if (change.tenantId === tenantId || change.lookups.some((named) => sameLookup(named, lookup))) return false;
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
          this.store(tenant.slug, cachedTenantOf(tenant), tenant);
          stored++;
        }
      }
      epoch = this.epoch;
    }
    return stored;
  }

  private store(lookup: TenantKey, value: CachedTenant, source: TenantPolicy): void {
    const loadedAt = performance.now();
    const expiring = value.policy.nextExpiry !== Infinity;
    const entry: Entry = { value, loadedAt, resync: this.resync, dueAt: 0, usedAt: ++this.uses, source: expiring ? source : undefined };
    entry.dueAt = this.dueAt(entry);
    this.kept = undefined;
    // A name that was unknown (past its TTL, read again) names this tenant now.
    this.unknown.delete(lookup);
    this.tenants.set(lookup, entry);
    if (this.tenants.size > this.options.maxTenants) this.evictLeastRecentlyUsed();
    const lookups = this.lookupsByTenant.get(value.tenantId);
    if (lookups === undefined || (!Array.isArray(lookups) && sameLookup(lookups, lookup))) this.lookupsByTenant.set(value.tenantId, lookup);
    else if (!Array.isArray(lookups)) this.lookupsByTenant.set(value.tenantId, [lookups, lookup]);
    else if (!lookups.some((known) => sameLookup(known, lookup))) lookups.push(lookup);
  }

  /** Of the two kinds' least recently used entries, evicts the one served longer ago. */
  private evictLeastRecentlyUsed(): void {
    const { bySlug, byHostname } = this.tenants;
    const slugs = bySlug.rvalues().next().value?.usedAt ?? Infinity;
    const hostnames = byHostname.rvalues().next().value?.usedAt ?? Infinity;
    (slugs < hostnames ? bySlug : byHostname).pop();
  }

  private unindex(tenantId: string, lookup: TenantKey): void {
    const lookups = this.lookupsByTenant.get(tenantId);
    if (lookups === undefined) return;
    if (!Array.isArray(lookups)) {
      if (sameLookup(lookups, lookup)) this.lookupsByTenant.delete(tenantId);
      return;
    }
    const index = lookups.findIndex((known) => sameLookup(known, lookup));
    if (index !== -1) lookups.splice(index, 1);
    if (lookups.length === 1) this.lookupsByTenant.set(tenantId, lookups[0]!);
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
  private attend(lookup: TenantKey, entry: Entry): void {
    this.unexpired(entry);
    if (performance.now() - entry.loadedAt > this.options.ttlMs) this.refresh(lookup, entry);
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
  private recheckUnknown(lookup: TenantKey): void {
    if (this.inFlight.has(lookup)) return;
    void this.track(
      lookup,
      this.load(lookup).catch(() => {
        // Source down: still unknown, asked again after another TTL.
        this.rememberUnknown(lookup);
        return null;
      }),
    );
  }

  private refresh(lookup: TenantKey, entry: Entry): void {
    if (this.inFlight.has(lookup)) return;
    // Not refreshed again until this attempt is over, even if it fails (database down).
    entry.loadedAt = performance.now();
    void this.track(lookup, this.load(lookup).catch(() => entry.value));
  }

  /** Shares `load` with every lookup of the same name until it settles. */
  private track(lookup: TenantKey, load: Promise<CachedTenant | null>): Promise<CachedTenant | null> {
    const tracked = load.finally(() => {
      if (this.inFlight.get(lookup) === tracked) this.inFlight.delete(lookup);
    });
    this.inFlight.set(lookup, tracked);
    return tracked;
  }
}
