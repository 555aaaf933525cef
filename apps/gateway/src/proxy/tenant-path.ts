/**
 * The path (with query) a tenant's API sees: the request URL without the `/t/<slug>` prefix
 * when the tenant was named by it, the whole URL when it was named by its Host.
 */
export function tenantPathOf(url: string, slug: string): string {
  const prefix = `/t/${slug}`;
  if (!url.startsWith(prefix)) return url;
  const rest = url.slice(prefix.length);
  if (rest === '') return '/';
  if (rest[0] === '/') return rest;
  if (rest[0] === '?') return '/' + rest;
  return url;
}
