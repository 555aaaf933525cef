/*
 * The path a tenant's API sees starts in the request URL at `start`: after the `/t/<slug>`
 * prefix when the tenant was named by it (`pathAfterSlug`), at 0 when it was named by its Host.
 * Read by index rather than cut out and split at its query: this runs on every tenant request,
 * and the copies and the split were half of the echo route's own CPU time (issue 13).
 */

/** The path (with query) a tenant's API sees. */
export function tenantPathOf(url: string, start: number): string {
  if (start === 0) return url;
  if (start === url.length) return '/';
  return url.charCodeAt(start) === 63 /* ? */ ? `/${url.slice(start)}` : url.slice(start);
}

/** Whether the tenant path at `start` is `path` itself, with or without a query. */
export function isTenantPath(url: string, start: number, path: string): boolean {
  if (!url.startsWith(path, start)) return false;
  const end = start + path.length;
  return end === url.length || url.charCodeAt(end) === 63 /* ? */;
}
