import type { FastifyRequest } from 'fastify';
import type { CorsPolicySource, CorsTarget } from '#dynamic-cors';
import type { TenantLookup } from '#policy-store';
import { tenantAddressOf, type TenantAddress } from '../tenancy/tenant-address.js';
import type { CachedTenant, PolicyCache } from './policy-cache.js';

/**
 * The gateway's {@link CorsPolicySource}: the request's tenant address (Host, then `/t/<slug>`)
 * looked up through the policy cache, synchronously when cached.
 */
export class GatewayPolicySource implements CorsPolicySource {
  constructor(
    private readonly cache: PolicyCache,
    private readonly baseDomain: string | undefined,
  ) {}

  forRequest(request: FastifyRequest): CachedTenant | null | undefined | Promise<CachedTenant | null | undefined> {
    const address = tenantAddressOf(request.headers.host, request.url, this.baseDomain);
    if (!address) return undefined;
    const resolved = this.resolve(address, 0);
    if (!(resolved instanceof Promise) || address.byPath || !isOwnRoute(request.url)) return resolved;
    // Health and metrics must answer while the database is down, when an uncached Host
    // cannot be looked up: such a request is taken for one of the gateway's own.
    return resolved.catch(() => undefined);
  }

  /** The path the upstream sees starts after `/t/<slug>` when the URL has that prefix (see `tenantPathOf`). */
  tenantPathStart(request: FastifyRequest, target: CorsTarget): number {
    const url = request.url;
    const slug = target.slug;
    if (!url.startsWith('/t/') || !url.startsWith(slug, 3)) return 0;
    const next = 3 + slug.length;
    const code = url.charCodeAt(next);
    return next === url.length || code === 47 /* / */ || code === 63 /* ? */ ? next : 0;
  }

  private resolve(address: TenantAddress, from: number): CachedTenant | null | undefined | Promise<CachedTenant | null | undefined> {
    for (let index = from; index < address.lookups.length; index++) {
      const found = this.cache.get(address.lookups[index] as TenantLookup);
      if (found instanceof Promise) return found.then((tenant) => tenant ?? this.resolve(address, index + 1));
      if (found) return found;
    }
    // A host that is no tenant's, without a /t/ path, is a request for the gateway's own routes.
    return address.byPath ? null : undefined;
  }
}

/** The gateway's own routes, answered when a request names no tenant. */
function isOwnRoute(url: string): boolean {
  return url.startsWith('/health/') || url === '/metrics' || url.startsWith('/metrics?');
}

/** The tenant of a request the CORS hook resolved, if it is a tenant request. */
export function tenantOf(request: FastifyRequest): CachedTenant | undefined {
  return request.cors?.target as CachedTenant | undefined;
}

export type { CorsTarget };
