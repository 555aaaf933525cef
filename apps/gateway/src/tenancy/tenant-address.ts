import type { TenantLookup } from '#policy-store';

/** Where a request says its tenant is, in the order the SPEC resolves them. */
export interface TenantAddress {
  /** Looked up in order; the first that names an existing tenant wins. */
  readonly lookups: readonly TenantLookup[];
  /** True when the request also names a slug in its path (`/t/<slug>/...`). */
  readonly byPath: boolean;
}

const PATH_PREFIX = '/t/';
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Reads a request's tenant address: its `Host` (a tenant hostname, or `<slug>.<BASE_DOMAIN>`),
 * then the `/t/<slug>/` path prefix. Pure and allocation-light: it runs on every request.
 * Undefined when the request names no tenant at all.
 */
export function tenantAddressOf(host: string | undefined, url: string, baseDomain: string | undefined): TenantAddress | undefined {
  const lookups: TenantLookup[] = [];
  const hostname = host ? normaliseHost(host) : '';
  if (hostname) {
    const slug = baseDomain ? slugUnderBaseDomain(hostname, baseDomain) : undefined;
    lookups.push(slug ? { slug } : { hostname });
  }
  const pathSlug = slugFromPath(url);
  if (pathSlug) lookups.push({ slug: pathSlug });
  return lookups.length ? { lookups, byPath: pathSlug !== undefined } : undefined;
}

/** The slug of a `/t/<slug>` or `/t/<slug>/...` URL, if it is one. */
export function slugFromPath(url: string): string | undefined {
  if (!url.startsWith(PATH_PREFIX)) return undefined;
  const end = url.indexOf('/', PATH_PREFIX.length);
  const query = url.indexOf('?', PATH_PREFIX.length);
  const stop = end === -1 ? (query === -1 ? url.length : query) : query === -1 ? end : Math.min(end, query);
  const slug = url.slice(PATH_PREFIX.length, stop);
  return SLUG.test(slug) ? slug : undefined;
}

/** Lower-case, without port or trailing dot; IPv6 literals keep their brackets. */
function normaliseHost(host: string): string {
  let end = host.length;
  if (host.charCodeAt(0) !== 91 /* [ */) {
    const colon = host.lastIndexOf(':');
    if (colon !== -1) end = colon;
  } else {
    end = host.indexOf(']') + 1 || host.length;
  }
  if (host.charCodeAt(end - 1) === 46 /* . */) end -= 1;
  return host.slice(0, end).toLowerCase();
}

function slugUnderBaseDomain(hostname: string, baseDomain: string): string | undefined {
  if (hostname.length <= baseDomain.length + 1 || !hostname.endsWith(baseDomain)) return undefined;
  const dot = hostname.length - baseDomain.length - 1;
  if (hostname.charCodeAt(dot) !== 46) return undefined;
  const label = hostname.slice(0, dot);
  return SLUG.test(label) ? label : undefined;
}
