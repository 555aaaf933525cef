import type { FastifyRequest } from 'fastify';
import { type CorsHttpRequest, type CorsTarget, pathAfterSlug, type PolicySource, type TenantResolver } from '#dynamic-cors';
import type { CachedTenant, PostgresPolicySource } from '#dynamic-cors/postgres';
import { type TenantAddress, TenantAddressReader } from '../tenancy/tenant-address.js';

type Found = CachedTenant | null | undefined;

/**
 * How the gateway finds a request's tenant (SPEC "Tenant resolution"): its address (Host, then
 * `/t/<slug>`), each lookup tried in order through the library's PostgreSQL source, answering
 * synchronously when cached. A host that is nobody's, without a `/t/` path, is a request for
 * the gateway's own routes.
 */
export class GatewayPolicySource implements PolicySource<TenantAddress>, TenantResolver<TenantAddress> {
  private readonly addresses: TenantAddressReader;

  constructor(
    readonly postgres: PostgresPolicySource,
    baseDomain: string | undefined,
  ) {
    this.addresses = new TenantAddressReader(baseDomain);
  }

  readonly tenantOf = (request: CorsHttpRequest): TenantAddress | undefined => this.addresses.read(request.headers.host, request.url);

  /** The path the upstream sees starts after `/t/<slug>` when the URL has that prefix (the tenant routes read it so too). */
  readonly pathStart = (request: CorsHttpRequest, target: CorsTarget): number => pathAfterSlug(request.url, target.slug);

  forTenant(address: TenantAddress): Found | Promise<Found> {
    const found = this.postgres.cache.getFirst(address.lookups);
    if (found instanceof Promise) return found.then((tenant) => this.notFoundAs(address, tenant));
    return this.notFoundAs(address, found);
  }

  start(): Promise<void> {
    return this.postgres.start();
  }

  stop(): Promise<void> {
    return this.postgres.stop();
  }

  get isReady(): boolean {
    return this.postgres.isReady;
  }

  /** A host that is no tenant's, without a /t/ path, is a request for the gateway's own routes. */
  private notFoundAs(address: TenantAddress, tenant: CachedTenant | null): Found {
    return tenant ?? (address.byPath ? null : undefined);
  }
}

/** The tenant of a request the CORS hook resolved, if it is a tenant request. */
export function resolvedTenantOf(request: FastifyRequest): CachedTenant | undefined {
  return request.cors?.target as CachedTenant | undefined;
}
