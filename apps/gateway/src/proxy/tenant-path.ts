/** A tenant request as its API sees it. */
export interface TenantRequest {
  /** The path (with query): the URL without the `/t/<slug>` prefix, or the whole URL. */
  readonly path: string;
  /** True when the tenant was named by the `/t/<slug>` prefix, false when by its Host. */
  readonly byPath: boolean;
}

/**
 * The path (with query) a tenant's API sees: the request URL without the `/t/<slug>` prefix
 * when the tenant was named by it, the whole URL when it was named by its Host.
 */
export function tenantRequestOf(url: string, slug: string): TenantRequest {
  const prefix = `/t/${slug}`;
  if (!url.startsWith(prefix)) return { path: url, byPath: false };
  const rest = url.slice(prefix.length);
  if (rest === '') return { path: '/', byPath: true };
  if (rest[0] === '/') return { path: rest, byPath: true };
  if (rest[0] === '?') return { path: '/' + rest, byPath: true };
  return { path: url, byPath: false };
}
