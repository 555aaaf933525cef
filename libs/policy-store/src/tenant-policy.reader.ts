import { Injectable } from '@nestjs/common';
import { PrismaService } from '#database';
import type { CorsPolicy, OriginRule, OriginRuleKind, PathRule, PolicyMode } from '#dynamic-cors';

/** How a gateway request names its tenant. */
export type TenantLookup = { readonly slug: string } | { readonly hostname: string };

/** A tenant as the gateway serves it: where to send its traffic and its CORS policy. */
export interface TenantPolicy {
  readonly tenantId: string;
  readonly slug: string;
  readonly name: string;
  readonly upstreamUrl: string | null;
  readonly version: number;
  readonly policy: CorsPolicy;
}

interface TenantPolicyRow {
  tenant_id: string;
  slug: string;
  name: string;
  upstream_url: string | null;
  allowed_methods: string[] | null;
  allowed_headers: string[] | null;
  exposed_headers: string[] | null;
  allow_credentials: boolean;
  max_age: number;
  allow_private_network: boolean;
  mode: PolicyMode;
  path_rules: PathRule[];
  preflight_status: number;
  timing_allow_origin: boolean;
  version: number;
  origins: { id: string; kind: OriginRuleKind; value: string }[];
}

/**
 * Reads one tenant's policy from PostgreSQL in exactly one indexed query (by the unique slug,
 * or the primary key of tenant_hostnames), origins aggregated in the same statement. The
 * gateway's cache and the admin's check endpoint both read through this, so the check
 * answers from the same data the gateway serves.
 */
@Injectable()
export class TenantPolicyReader {
  constructor(private readonly prisma: PrismaService) {}

  async read(lookup: TenantLookup): Promise<TenantPolicy | null> {
    const rows =
      'slug' in lookup
        ? await this.prisma.$queryRaw<TenantPolicyRow[]>`
            SELECT t.id AS tenant_id, t.slug, t.name, t.upstream_url, p.allowed_methods, p.allowed_headers,
                   p.exposed_headers, p.allow_credentials, p.max_age, p.allow_private_network, p.mode, p.version,
                   p.path_rules, p.preflight_status, p.timing_allow_origin,
                   COALESCE((SELECT json_agg(json_build_object('id', o.id, 'kind', o.kind, 'value', o.value) ORDER BY o.created_at, o.id)
                               FROM origin_rules o WHERE o.tenant_id = t.id), '[]') AS origins
              FROM tenants t JOIN cors_policies p ON p.tenant_id = t.id
             WHERE t.slug = ${lookup.slug}`
        : await this.prisma.$queryRaw<TenantPolicyRow[]>`
            SELECT t.id AS tenant_id, t.slug, t.name, t.upstream_url, p.allowed_methods, p.allowed_headers,
                   p.exposed_headers, p.allow_credentials, p.max_age, p.allow_private_network, p.mode, p.version,
                   p.path_rules, p.preflight_status, p.timing_allow_origin,
                   COALESCE((SELECT json_agg(json_build_object('id', o.id, 'kind', o.kind, 'value', o.value) ORDER BY o.created_at, o.id)
                               FROM origin_rules o WHERE o.tenant_id = t.id), '[]') AS origins
              FROM tenant_hostnames h JOIN tenants t ON t.id = h.tenant_id JOIN cors_policies p ON p.tenant_id = t.id
             WHERE h.hostname = ${lookup.hostname}`;
    const row = rows[0];
    return row ? toTenantPolicy(row) : null;
  }
}

function toTenantPolicy(row: TenantPolicyRow): TenantPolicy {
  const origins: OriginRule[] = row.origins.map((o) => ({ id: o.id, kind: o.kind, value: o.value }));
  return {
    tenantId: row.tenant_id,
    slug: row.slug,
    name: row.name,
    upstreamUrl: row.upstream_url,
    version: row.version,
    policy: {
      origins,
      allowedMethods: row.allowed_methods ?? [],
      allowedHeaders: row.allowed_headers ?? [],
      exposedHeaders: row.exposed_headers ?? [],
      allowCredentials: row.allow_credentials,
      maxAge: row.max_age,
      allowPrivateNetwork: row.allow_private_network,
      mode: row.mode,
      preflightStatus: row.preflight_status === 200 ? 200 : 204,
      timingAllowOrigin: row.timing_allow_origin,
      // Left out when empty: the compiled policy of a tenant without path rules has none to try.
      ...(row.path_rules.length === 0 ? {} : { pathRules: row.path_rules }),
    },
  };
}
