import { isLdhName, normaliseHost, pathAfterSlug, slugFromPath, slugUnderBaseDomain, type TenantKey } from '#dynamic-cors';

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
 * and the last path slug it read: one gateway mostly sees a few, and reading one again (a Host
 * normalised, checked and made a lookup object; a slug cut out, checked, and hashed anew by the
 * cache's map) was about a third of finding a tenant (issue 13). The address made of the two is
 * kept as well, so that the usual request allocates none.
 */
export class TenantAddressReader {
  private lastHost: string | undefined;
  private lastHostLookup: TenantKey | undefined;
  private lastPathSlug = '';
  private lastAddress: TenantAddress | undefined;
  private lastAddressHost: TenantKey | undefined;
  private lastAddressSlug: string | undefined;

  constructor(private readonly baseDomain: string | undefined) {}

  /** The request's address; undefined when it names no tenant at all. */
  read(host: string | undefined, url: string): TenantAddress | undefined {
    const hostLookup = host ? this.hostLookupOf(host) : undefined;
    const pathSlug = this.pathSlugOf(url);
    if (hostLookup === this.lastAddressHost && pathSlug === this.lastAddressSlug) return this.lastAddress;
    this.lastAddressHost = hostLookup;
    this.lastAddressSlug = pathSlug;
    this.lastAddress = addressOf(hostLookup, pathSlug);
    return this.lastAddress;
  }

  private hostLookupOf(host: string): TenantKey | undefined {
    if (host === this.lastHost) return this.lastHostLookup;
    this.lastHost = host;
    this.lastHostLookup = this.readHost(host);
    return this.lastHostLookup;
  }

  private pathSlugOf(url: string): string | undefined {
    if (this.lastPathSlug !== '' && pathAfterSlug(url, this.lastPathSlug) !== 0) return this.lastPathSlug;
    const slug = slugFromPath(url);
    if (slug !== undefined) this.lastPathSlug = slug;
    return slug;
  }

  private readHost(host: string): TenantKey | undefined {
    const hostname = normaliseHost(host);
    // Only a name that could be a tenant's is looked up (issue 19, item 8): any other Host
    // (8 KB of noise, a bracketed IPv6 literal) would cost a query and a negative-cache entry.
    if (!hostname || !isLdhName(hostname)) return undefined;
    return (this.baseDomain ? slugUnderBaseDomain(hostname, this.baseDomain) : undefined) ?? { hostname };
  }
}

function addressOf(hostLookup: TenantKey | undefined, pathSlug: string | undefined): TenantAddress | undefined {
  if (pathSlug === undefined) return hostLookup === undefined ? undefined : { lookups: [hostLookup], byPath: false };
  return { lookups: hostLookup === undefined ? [pathSlug] : [hostLookup, pathSlug], byPath: true };
}
