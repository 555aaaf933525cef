import type { TenantKey } from '../sources/policy-source.js';

/** What {@link LookupMap} needs of each of its two maps: a `Map`, or an `LRUCache`. */
export interface NameMap<V> {
  get(name: string): V | undefined;
  has(name: string): boolean;
  set(name: string, value: V): unknown;
  delete(name: string): boolean;
  clear(): void;
  readonly size: number;
}

/** The two kinds of {@link TenantKey}. */
export type LookupKind = 'slug' | 'hostname';

/** The name a lookup looks up: the slug, or the hostname. */
function nameOf(lookup: TenantKey): string {
  return typeof lookup === 'string' ? lookup : lookup.hostname;
}

/** The lookup of `name` in a map of `kind` (the inverse of {@link nameOf}). */
export function lookupOf(kind: LookupKind, name: string): TenantKey {
  return kind === 'slug' ? name : { hostname: name };
}

export function sameLookup(a: TenantKey, b: TenantKey): boolean {
  return typeof a === 'string' ? a === b : typeof b !== 'string' && a.hostname === b.hostname;
}

/**
 * Values by tenant lookup, in one map per kind keyed by the bare name. A slug and a hostname
 * may be spelt alike (`localhost`), so one map needed a prefixed key (`s:acme`), built, flattened
 * and hashed again on every request: some 70 ns of each of a request's two lookups (issue 13).
 */
export class LookupMap<V, M extends NameMap<V> = NameMap<V>> {
  readonly bySlug: M;
  readonly byHostname: M;

  constructor(create: (kind: LookupKind) => M) {
    this.bySlug = create('slug');
    this.byHostname = create('hostname');
  }

  private mapOf(lookup: TenantKey): M {
    return typeof lookup === 'string' ? this.bySlug : this.byHostname;
  }

  /** Dispatched in place rather than through {@link mapOf}: it is the one call of a cache hit. */
  get(lookup: TenantKey): V | undefined {
    return typeof lookup === 'string' ? this.bySlug.get(lookup) : this.byHostname.get(lookup.hostname);
  }

  has(lookup: TenantKey): boolean {
    return this.mapOf(lookup).has(nameOf(lookup));
  }

  set(lookup: TenantKey, value: V): void {
    this.mapOf(lookup).set(nameOf(lookup), value);
  }

  delete(lookup: TenantKey): boolean {
    return this.mapOf(lookup).delete(nameOf(lookup));
  }

  clear(): void {
    this.bySlug.clear();
    this.byHostname.clear();
  }

  get size(): number {
    return this.bySlug.size + this.byHostname.size;
  }
}
