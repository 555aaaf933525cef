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

/**
 * A tenant's policy as `tenant_policy_documents.document` holds it: built by that table's
 * triggers from `tenants`, `cors_policies` and `origin_rules` in the transaction of each change
 * (see its migration), so that a miss reads one row and parses one JSON value.
 */
interface PolicyDocument {
  readonly tenantId: string;
  readonly slug: string;
  readonly name: string;
  readonly upstreamUrl: string | null;
  readonly version: number;
  readonly mode: PolicyMode;
  readonly allowedMethods: string[] | null;
  readonly allowedHeaders: string[] | null;
  readonly exposedHeaders: string[] | null;
  readonly allowCredentials: boolean;
  readonly maxAge: number;
  readonly allowPrivateNetwork: boolean;
  readonly pathRules: PathRule[];
  readonly preflightStatus: number;
  readonly timingAllowOrigin: boolean;
  readonly debugHeader: boolean;
  /** Each rule as `[id, kind, value, expiresAt]`, in the order they were added. */
  readonly origins: [id: string, kind: OriginRuleKind, value: string, expiresAt: string | null][];
}

/**
 * Reads tenants' policies from the corsmesh database (the tables the admin app manages), each
 * as its one precomputed document (`tenant_policy_documents`). The gateway's cache, an embedding app's
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
   * documents' index on `slug`, hostnames through the primary key of `tenant_hostnames`
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
    for (const row of rows) found.set(`${row.via}:${row.key}`, toTenantPolicy(row.document));
    return lookups.map((lookup) => found.get(typeof lookup === 'string' ? `s:${lookup}` : `h:${lookup.hostname}`) ?? null);
  }

  /**
   * Up to `count` tenants, most recently updated first (`tenants.updated_at`), a page of
   * `pageSize` per statement: to fill a cache at start-up. Keyset pagination on the index
   * `tenants (updated_at, id)`, so each page costs the same however far into the list it is.
   */
  async *recent(count: number, pageSize = 1000): AsyncGenerator<TenantPolicy[]> {
    let after: { updatedAt: Date; tenantId: string } | undefined;
    for (let left = count; left > 0; ) {
      const limit = Math.min(pageSize, left);
      const { rows } = await this.db.query<RecentRow>({
        text: `SELECT t.updated_at, t.id, d.document
           FROM tenants t JOIN tenant_policy_documents d ON d.tenant_id = t.id
          WHERE $1::timestamptz IS NULL OR (t.updated_at, t.id) < ($1::timestamptz, $2::uuid)
          ORDER BY t.updated_at DESC, t.id DESC
          LIMIT $3`,
        values: [after?.updatedAt ?? null, after?.tenantId ?? null, limit],
      });
      yield rows.map((row) => toTenantPolicy(row.document));
      const last = rows.at(-1);
      if (!last || rows.length < limit) return;
      left -= rows.length;
      after = { updatedAt: last.updated_at, tenantId: last.id };
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

/** The policy documents of the tenants found by slug and by hostname, with which lookup found each. */
const BY_SLUG = (parameter: string) => `SELECT 's' AS via, d.slug AS key, d.document
  FROM tenant_policy_documents d WHERE d.slug = ANY${opaqueArray(parameter)}`;
const BY_HOSTNAME = (parameter: string) => `SELECT 'h' AS via, h.hostname AS key, d.document
  FROM tenant_hostnames h JOIN tenant_policy_documents d ON d.tenant_id = h.tenant_id
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
type FoundRow = { via: 's' | 'h'; key: string; document: PolicyDocument };
type RecentRow = { updated_at: Date; id: string; document: PolicyDocument };

function toTenantPolicy(document: PolicyDocument): TenantPolicy {
  // Expired rules are read too: the compiled policy leaves them out by the clock, and the check
  // endpoint explains a refusal with them.
  const origins: OriginRule[] = document.origins.map(([id, kind, value, expiresAt]) =>
    expiresAt === null ? { id, kind, value } : { id, kind, value, expiresAt: new Date(expiresAt) },
  );
  return {
    tenantId: document.tenantId,
    slug: document.slug,
    name: document.name,
    upstreamUrl: document.upstreamUrl,
    version: document.version,
    policy: {
      origins,
      allowedMethods: document.allowedMethods ?? [],
      allowedHeaders: document.allowedHeaders ?? [],
      exposedHeaders: document.exposedHeaders ?? [],
      allowCredentials: document.allowCredentials,
      maxAge: document.maxAge,
      allowPrivateNetwork: document.allowPrivateNetwork,
      mode: document.mode,
      preflightStatus: document.preflightStatus === 200 ? 200 : 204,
      timingAllowOrigin: document.timingAllowOrigin,
      debugHeader: document.debugHeader,
      // Left out when empty: the compiled policy of a tenant without path rules has none to try.
      ...(document.pathRules.length === 0 ? {} : { pathRules: document.pathRules }),
    },
  };
}
