import type { TenantResolver } from '../module/dynamic-cors.options.js';
import type { TenantKey } from '../sources/policy-source.js';
import { DEFAULT_PATH_PREFIX, isLdhName, normaliseHost, pathAfterSlug, slugFromPath, slugUnderBaseDomain } from './tenant-names.js';

/**
 * Tenants by path prefix: `/t/acme/users` is tenant `acme` (another prefix, such as
 * `/tenants/`, may be given). Path rules match the rest of the path (`/users`), as on the
 * gateway. A URL without the prefix, or with one that is no valid slug, is not a tenant request.
 */
export function tenantByPath(prefix = DEFAULT_PATH_PREFIX): TenantResolver<string> {
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error(`tenantByPath: the prefix must begin and end with "/", not ${JSON.stringify(prefix)}`);
  return {
    tenantOf: (request) => slugFromPath(request.url, prefix),
    pathStart: (request, target) => pathAfterSlug(request.url, target.slug, prefix),
  };
}

export interface TenantByHostOptions {
  /** `<slug>.<baseDomain>` names tenant `<slug>`; any other host is looked up among tenants' hostnames. */
  readonly baseDomain?: string;
}

/**
 * Tenants by `Host`: `acme.apis.example.com` is tenant `acme` under the base domain
 * `apis.example.com`; any other host name (port and trailing dot dropped, lower-cased) is
 * looked up among the hostnames registered for tenants, and one that is nobody's leaves the
 * request untouched (the app's own routes). A Host that is not a DNS name (an IP literal,
 * noise) is never looked up.
 */
export function tenantByHost(options: TenantByHostOptions = {}): TenantResolver<TenantKey> {
  const baseDomain = options.baseDomain === undefined ? undefined : normaliseHost(options.baseDomain);
  if (baseDomain !== undefined && !isLdhName(baseDomain)) throw new Error(`tenantByHost: baseDomain ${JSON.stringify(options.baseDomain)} is not a host name`);
  return {
    tenantOf: (request) => {
      const host = request.host;
      if (!host) return undefined;
      const hostname = normaliseHost(host);
      if (!isLdhName(hostname)) return undefined;
      return (baseDomain === undefined ? undefined : slugUnderBaseDomain(hostname, baseDomain)) ?? { hostname };
    },
  };
}
