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
  // Only a name that could be a tenant's is looked up (issue 19, item 8): any other Host
  // (8 KB of noise, a bracketed IPv6 literal) would cost a query and a negative-cache entry.
  if (hostname && isLdhName(hostname)) {
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
export function normaliseHost(host: string): string {
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

/** Longest DNS name (RFC 1035 section 2.3.4) and longest label. */
const MAX_NAME = 253;
const MAX_LABEL = 63;

/**
 * Whether `name` (lower-cased) is an LDH host name: labels of letters, digits and hyphens,
 * 1 to 63 characters each, at most 253 in all. A loop rather than a regex: it runs on every
 * request and gives up at the first wrong byte.
 */
export function isLdhName(name: string): boolean {
  if (name.length > MAX_NAME) return false;
  let label = 0;
  for (let index = 0; index < name.length; index++) {
    const code = name.charCodeAt(index);
    if (code === 46 /* . */) {
      if (label === 0) return false;
      label = 0;
    } else if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 45 /* - */) {
      if (++label > MAX_LABEL) return false;
    } else {
      return false;
    }
  }
  return label > 0;
}
