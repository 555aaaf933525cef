import { isLdhName, normaliseHost, slugFromPath, slugUnderBaseDomain, type TenantKey } from '#dynamic-cors';

/** Where a request says its tenant is, in the order the SPEC resolves them. */
export interface TenantAddress {
  /** Looked up in order; the first that names an existing tenant wins. */
  readonly lookups: readonly TenantKey[];
  /** True when the request also names a slug in its path (`/t/<slug>/...`). */
  readonly byPath: boolean;
}

/**
 * Reads a request's tenant address: its `Host` (a tenant hostname, or `<slug>.<BASE_DOMAIN>`),
 * then the `/t/<slug>/` path prefix. Pure and allocation-light: it runs on every request.
 * Undefined when the request names no tenant at all.
 */
export function tenantAddressOf(host: string | undefined, url: string, baseDomain: string | undefined): TenantAddress | undefined {
  const lookups: TenantKey[] = [];
  const hostname = host ? normaliseHost(host) : '';
  // Only a name that could be a tenant's is looked up (issue 19, item 8): any other Host
  // (8 KB of noise, a bracketed IPv6 literal) would cost a query and a negative-cache entry.
  if (hostname && isLdhName(hostname)) {
    const slug = baseDomain ? slugUnderBaseDomain(hostname, baseDomain) : undefined;
    lookups.push(slug ?? { hostname });
  }
  const pathSlug = slugFromPath(url);
  if (pathSlug) lookups.push(pathSlug);
  return lookups.length ? { lookups, byPath: pathSlug !== undefined } : undefined;
}
