/** The path prefix of path-routed tenants, as the gateway serves them (`/t/<slug>/...`). */
export const DEFAULT_PATH_PREFIX = '/t/';

/** Longest DNS name (RFC 1035 section 2.3.4) and longest label. */
const MAX_NAME = 253;
const MAX_LABEL = 63;

/**
 * A tenant slug as the admin API accepts it: a lower-case DNS label (letters, digits and
 * inner hyphens, 1 to 63 characters). A loop rather than a regex: it runs on every request by
 * path, where the regex cost some 640 instructions of the gateway's 110,000 (issue 13).
 */
export function isSlug(value: string): boolean {
  const length = value.length;
  if (length === 0 || length > MAX_LABEL) return false;
  if (value.charCodeAt(0) === 45 /* - */ || value.charCodeAt(length - 1) === 45) return false;
  for (let index = 0; index < length; index++) {
    const code = value.charCodeAt(index);
    if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 45)) return false;
  }
  return true;
}

/** The slug of a `<prefix><slug>` or `<prefix><slug>/...` URL (prefix `/t/` by default), if it is one. */
export function slugFromPath(url: string, prefix = DEFAULT_PATH_PREFIX): string | undefined {
  if (!url.startsWith(prefix)) return undefined;
  const end = url.indexOf('/', prefix.length);
  const query = url.indexOf('?', prefix.length);
  const stop = end === -1 ? (query === -1 ? url.length : query) : query === -1 ? end : Math.min(end, query);
  const slug = url.slice(prefix.length, stop);
  return isSlug(slug) ? slug : undefined;
}

/**
 * Where the tenant's own path starts in `url` when it begins with `<prefix><slug>` (followed by
 * `/`, `?` or nothing), else 0: path rules match the path the tenant's API sees.
 */
export function pathAfterSlug(url: string, slug: string, prefix = DEFAULT_PATH_PREFIX): number {
  if (!url.startsWith(prefix) || !url.startsWith(slug, prefix.length)) return 0;
  const next = prefix.length + slug.length;
  const code = url.charCodeAt(next);
  return next === url.length || code === 47 /* / */ || code === 63 /* ? */ ? next : 0;
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

/** The slug of `<slug>.<baseDomain>` (one label, a valid slug), if `hostname` is one. */
export function slugUnderBaseDomain(hostname: string, baseDomain: string): string | undefined {
  if (hostname.length <= baseDomain.length + 1 || !hostname.endsWith(baseDomain)) return undefined;
  const dot = hostname.length - baseDomain.length - 1;
  if (hostname.charCodeAt(dot) !== 46) return undefined;
  const label = hostname.slice(0, dot);
  return isSlug(label) ? label : undefined;
}

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
