import type { CorsPolicy, OriginRule, OriginRuleKind, PathRule, PolicyMode } from '../core/index.js';
import type { TenantKey } from '../sources/policy-source.js';

/** A statement as `pg` takes it; with a `name`, prepared once per connection and reused. */
export interface QueryConfig {
  readonly name?: string;
  readonly text: string;
  readonly values: unknown[];
}

/**
 * What the reader runs its statements on: a `pg` pool or client (or anything with its
 * promise-returning `query(config)`), so that an app shares the pool it already has.
 */
export interface Queryable {
  query<R extends object>(config: QueryConfig): Promise<{ rows: R[] }>;
}

/** A tenant as the corsmesh database holds it: where the gateway sends its traffic, and its CORS policy. */
export interface TenantPolicy {
  readonly tenantId: string;
  readonly slug: string;
  readonly name: string;
  readonly upstreamUrl: string | null;
  readonly version: number;
  readonly policy: CorsPolicy;
}

/** The columns of a tenant policy row, over `tenants t JOIN cors_policies p`. */
const POLICY_COLUMNS = `
  t.id AS tenant_id, t.slug, t.name, t.upstream_url, p.allowed_methods, p.allowed_headers,
  p.exposed_headers, p.allow_credentials, p.max_age, p.allow_private_network, p.mode, p.version,
  p.path_rules, p.preflight_status, p.timing_allow_origin, p.debug_header,
  COALESCE((SELECT json_agg(json_build_array(o.id, o.kind, o.value, o.expires_at) ORDER BY o.created_at, o.id)
              FROM origin_rules o WHERE o.tenant_id = t.id), '[]') AS origins`;

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
  debug_header: boolean;
  version: number;
  /** Each rule as `[id, kind, value, expiresAt]`: arrays rather than objects: 30% less JSON to build and to parse. */
  origins: [id: string, kind: OriginRuleKind, value: string, expiresAt: string | null][];
}

/**
 * Reads tenants' policies from the corsmesh database (the tables the admin app manages),
 * origins aggregated in the same statement. The gateway's cache, an embedding app's
 * `postgresPolicySource` and the admin's check endpoint all read through this, so the check
 * answers from the same data that is served.
 */
export class TenantPolicyReader {
  constructor(private readonly db: Queryable) {}

  async read(lookup: TenantKey): Promise<TenantPolicy | null> {
    return (await this.readMany([lookup]))[0] ?? null;
  }

  /**
   * Many lookups in exactly one statement, whatever their number and kinds: slugs through the
   * unique index on `tenants.slug`, hostnames through the primary key of `tenant_hostnames`
   * (`= ANY` of an array is an index scan for each), a prepared statement for each mix.
   * Answers in the order of `lookups`, null for a lookup that names no tenant.
   */
  async readMany(lookups: readonly TenantKey[]): Promise<(TenantPolicy | null)[]> {
    if (lookups.length === 0) return [];
    const slugs: string[] = [];
    const hostnames: string[] = [];
    for (const lookup of lookups) {
      if (typeof lookup === 'string') slugs.push(lookup);
      else hostnames.push(lookup.hostname);
    }
    const { rows } = await this.db.query<FoundRow>(batchReadOf(slugs, hostnames));
    const found = new Map<string, TenantPolicy>();
    for (const row of rows) found.set(`${row.via}:${row.key}`, toTenantPolicy(row));
    return lookups.map((lookup) => found.get(typeof lookup === 'string' ? `s:${lookup}` : `h:${lookup.hostname}`) ?? null);
  }

  /**
   * Up to `count` tenants, most recently updated first (`tenants.updated_at`), a page of
   * `pageSize` per statement: to fill a cache at start-up. Keyset pagination, so each page
   * costs the same however far into the list it is.
   */
  async *recent(count: number, pageSize = 1000): AsyncGenerator<TenantPolicy[]> {
    let after: { updatedAt: Date; tenantId: string } | undefined;
    for (let left = count; left > 0; ) {
      const limit = Math.min(pageSize, left);
      const { rows } = await this.db.query<RecentRow>({
        text: `SELECT t.updated_at, ${POLICY_COLUMNS}
           FROM tenants t JOIN cors_policies p ON p.tenant_id = t.id
          WHERE $1::timestamptz IS NULL OR (t.updated_at, t.id) < ($1::timestamptz, $2::uuid)
          ORDER BY t.updated_at DESC, t.id DESC
          LIMIT $3`,
        values: [after?.updatedAt ?? null, after?.tenantId ?? null, limit],
      });
      yield rows.map(toTenantPolicy);
      const last = rows.at(-1);
      if (!last || rows.length < limit) return;
      left -= rows.length;
      after = { updatedAt: last.updated_at, tenantId: last.tenant_id };
    }
  }
}

/**
 * An array parameter the planner cannot look into: `(SELECT $n)` is an init plan, so a custom
 * plan estimates it as the generic plan does and PostgreSQL settles on the generic plan (see
 * {@link BATCH_READS}). Given the array itself, it planned a read of one to nine tenants as
 * cheaper than the generic plan's ten and planned every such read anew: 500 µs of
 * PostgreSQL's CPU for a one-tenant read, 130 µs this way (issue 13). Still an index scan.
 */
const opaqueArray = (parameter: string) => `((SELECT ${parameter}::text[])::text[])`;

/**
 * The policies of the tenants found by slug and by hostname, with which lookup found each.
 * By slug straight from `tenants`: finding the ids first and joining `tenants` again by id
 * cost PostgreSQL a tenth more per tenant read (issue 13).
 */
const BY_SLUG = (parameter: string) => `SELECT 's' AS via, t.slug AS key, ${POLICY_COLUMNS}
  FROM tenants t JOIN cors_policies p ON p.tenant_id = t.id WHERE t.slug = ANY${opaqueArray(parameter)}`;
const BY_HOSTNAME = (parameter: string) => `SELECT 'h' AS via, h.hostname AS key, ${POLICY_COLUMNS}
  FROM tenant_hostnames h JOIN tenants t ON t.id = h.tenant_id JOIN cors_policies p ON p.tenant_id = t.id
  WHERE h.hostname = ANY${opaqueArray(parameter)}`;

/**
 * Prepared statements, because planning the batch read cost PostgreSQL as much as running it
 * for ten tenants (0.5 ms, issue 13). PostgreSQL runs a prepared statement on its generic plan,
 * planned once, only while that plan is estimated no dearer than the custom plans it makes for
 * each set of values; hence one statement for each mix of lookups (one for slugs and hostnames,
 * nearly always given no hostnames, was estimated cheaper on custom plans and planned on every
 * run) and arrays it cannot look into ({@link opaqueArray}).
 */
const BATCH_READS = {
  slugs: { name: 'corsmesh_read_policies_by_slug', text: BY_SLUG('$1') },
  hostnames: { name: 'corsmesh_read_policies_by_hostname', text: BY_HOSTNAME('$1') },
  both: { name: 'corsmesh_read_policies', text: `${BY_SLUG('$1')} UNION ALL ${BY_HOSTNAME('$2')}` },
} as const;

function batchReadOf(slugs: string[], hostnames: string[]): QueryConfig {
  if (hostnames.length === 0) return { ...BATCH_READS.slugs, values: [slugs] };
  if (slugs.length === 0) return { ...BATCH_READS.hostnames, values: [hostnames] };
  return { ...BATCH_READS.both, values: [slugs, hostnames] };
}

/** A row of {@link TenantPolicyReader.readMany}: which lookup found it ('s' slug, 'h' hostname), and its value. */
type FoundRow = TenantPolicyRow & { via: 's' | 'h'; key: string };
type RecentRow = TenantPolicyRow & { updated_at: Date };

function toTenantPolicy(row: TenantPolicyRow): TenantPolicy {
  // Expired rules are read too: the compiled policy leaves them out by the clock, and the check
  // endpoint explains a refusal with them.
  const origins: OriginRule[] = row.origins.map(([id, kind, value, expiresAt]) =>
    expiresAt === null ? { id, kind, value } : { id, kind, value, expiresAt: new Date(expiresAt) },
  );
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
      debugHeader: row.debug_header,
      // Left out when empty: the compiled policy of a tenant without path rules has none to try.
      ...(row.path_rules.length === 0 ? {} : { pathRules: row.path_rules }),
    },
  };
}
