import { isLdhName, normaliseHost, slugFromPath, slugUnderBaseDomain, type TenantKey } from '#dynamic-cors';

/** Where a request says its tenant is, in the order the SPEC resolves them. */
export interface TenantAddress {
  /** Looked up in order; the first that names an existing tenant wins. */
  readonly lookups: readonly TenantKey[];
  /** True when the request also names a slug in its path (`/t/<slug>/...`). */
  readonly byPath: boolean;
}

/**
 * Reads requests' tenant addresses: the `Host` (a tenant hostname, or `<slug>.<BASE_DOMAIN>`),
 * then the `/t/<slug>/` path prefix. It runs on every request, so it remembers the last Host
 * it read: one gateway mostly sees a few, and reading one again (normalised, checked, and a
 * lookup object made) was about a third of finding a tenant (issue 13).
 */
export class TenantAddressReader {
  private lastHost: string | undefined;
  private lastHostLookup: TenantKey | undefined;

  constructor(private readonly baseDomain: string | undefined) {}

  /** The request's address; undefined when it names no tenant at all. */
  read(host: string | undefined, url: string): TenantAddress | undefined {
    const hostLookup = host ? this.hostLookupOf(host) : undefined;
    const pathSlug = slugFromPath(url);
    if (pathSlug === undefined) return hostLookup === undefined ? undefined : { lookups: [hostLookup], byPath: false };
    return { lookups: hostLookup === undefined ? [pathSlug] : [hostLookup, pathSlug], byPath: true };
  }

  private hostLookupOf(host: string): TenantKey | undefined {
    if (host === this.lastHost) return this.lastHostLookup;
    this.lastHost = host;
    this.lastHostLookup = this.readHost(host);
    return this.lastHostLookup;
  }

  private readHost(host: string): TenantKey | undefined {
    const hostname = normaliseHost(host);
    // Only a name that could be a tenant's is looked up (issue 19, item 8): any other Host
    // (8 KB of noise, a bracketed IPv6 literal) would cost a query and a negative-cache entry.
    if (!hostname || !isLdhName(hostname)) return undefined;
    return (this.baseDomain ? slugUnderBaseDomain(hostname, this.baseDomain) : undefined) ?? { hostname };
  }
}
