import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '#database';
import type { Db } from '../persistence/prisma-errors.js';
import { policyFieldsOf, policyRowOf } from '../policies/policies.repository.js';
import { translate } from '../tenants/tenants.repository.js';
import type { DesiredTenant, TenantState } from './document/config-model.js';
import { DEFAULT_POLICY_FIELDS } from './document/resolve-tenants.js';

const withEverything = {
  hostnames: { select: { hostname: true }, orderBy: { hostname: 'asc' } },
  policy: true,
  origins: { select: { kind: true, value: true, expiresAt: true, note: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
} as const satisfies Prisma.TenantInclude;
type TenantRow = Prisma.TenantGetPayload<{ include: typeof withEverything }>;

/** Tenants read per statement: bounds the size of each `IN` list and of each result. */
const CHUNK = 1000;

/**
 * Reads whole tenants (hostnames, policy, origins) for the configuration import and export, a
 * thousand per query rather than one query per tenant, and locks their policy rows for an import.
 */
@Injectable()
export class ConfigStateRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The stored tenants among `slugs`, by slug. */
  async read(slugs: readonly string[], db: Db = this.prisma): Promise<Map<string, TenantState>> {
    const states = new Map<string, TenantState>();
    for (let start = 0; start < slugs.length; start += CHUNK) {
      const rows = await db.tenant.findMany({ where: { slug: { in: slugs.slice(start, start + CHUNK) } }, include: withEverything });
      for (const row of rows) states.set(row.slug, toState(row));
    }
    return states;
  }

  /** Every stored tenant but those in `except`, by slug, in slug order (keyset pages). */
  async readAll(except: ReadonlySet<string> = new Set(), db: Db = this.prisma): Promise<TenantState[]> {
    const states: TenantState[] = [];
    let after: string | undefined;
    for (;;) {
      const rows = await db.tenant.findMany({
        where: after === undefined ? {} : { slug: { gt: after } },
        include: withEverything,
        orderBy: { slug: 'asc' },
        take: CHUNK,
      });
      for (const row of rows) if (!except.has(row.slug)) states.push(toState(row));
      if (rows.length < CHUNK) return states;
      after = rows.at(-1)!.slug;
    }
  }

  /**
   * Creates a whole tenant (hostnames, policy, origins) in one nested write, the fewest round
   * trips for an import of many new tenants; the plan has checked the slug and hostnames.
   */
  async createTenant(tenant: DesiredTenant, db: Db): Promise<{ id: string; slug: string }> {
    return translate(
      db.tenant.create({
        data: {
          slug: tenant.slug,
          name: tenant.name,
          upstreamUrl: tenant.upstreamUrl,
          hostnames: { createMany: { data: tenant.hostnames.map((hostname) => ({ hostname })) } },
          policy: { create: policyRowOf(tenant.policy) },
          origins: { createMany: { data: tenant.origins.map(({ kind, value, expiresAt, note }) => ({ kind, value, expiresAt, note })) } },
        },
        select: { id: true, slug: true },
      }),
    );
  }

  /** How many tenants there are. */
  count(db: Db = this.prisma): Promise<number> {
    return db.tenant.count();
  }

  /**
   * Locks the policy rows of the named tenants until the transaction ends, in one statement:
   * the policy and origin routes take the same lock, so none of their writes interleaves with
   * an import's read-compare-write.
   */
  async lock(slugs: readonly string[], db: Db): Promise<void> {
    for (let start = 0; start < slugs.length; start += CHUNK) {
      await db.$queryRaw`SELECT 1 FROM cors_policies p JOIN tenants t ON t.id = p.tenant_id
        WHERE t.slug = ANY(${slugs.slice(start, start + CHUNK)}::text[]) FOR UPDATE OF p`;
    }
  }

  /** The slug of the tenant holding each of `hostnames` that any tenant holds. */
  async hostnameOwners(hostnames: readonly string[], db: Db = this.prisma): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    for (let start = 0; start < hostnames.length; start += CHUNK) {
      const rows = await db.tenantHostname.findMany({
        where: { hostname: { in: hostnames.slice(start, start + CHUNK) } },
        select: { hostname: true, tenant: { select: { slug: true } } },
      });
      for (const row of rows) owners.set(row.hostname, row.tenant.slug);
    }
    return owners;
  }

  /** Removes these hostnames of the tenant, so that another tenant of the same import may take them. */
  async releaseHostnames(tenantId: string, hostnames: readonly string[], db: Db): Promise<void> {
    if (hostnames.length > 0) await db.tenantHostname.deleteMany({ where: { tenantId, hostname: { in: [...hostnames] } } });
  }

  /** Silences the tables' change-notice triggers for the rest of this transaction (see {@link notify}). */
  async deferNotices(db: Db): Promise<void> {
    await db.$executeRaw`SELECT set_config('corsmesh.policy_notices', 'deferred', true)`;
  }

  /** Sends one change notice per tenant, with the triggers' payload, in one statement. */
  async notify(notices: readonly TenantNotice[], db: Db): Promise<void> {
    if (notices.length === 0) return;
    await db.$executeRaw`SELECT pg_notify('corsmesh_policy_changed', notice::text)
      FROM json_array_elements(${JSON.stringify(notices)}::json) AS notice`;
  }
}

/** The change notice of one tenant: what the gateways evict (SPEC: one per changed tenant). */
export interface TenantNotice {
  readonly tenantId: string;
  readonly slugs: readonly string[];
  readonly hostnames: readonly string[];
}

function toState(row: TenantRow): TenantState {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    hostnames: row.hostnames.map((h) => h.hostname),
    upstreamUrl: row.upstreamUrl,
    // Only a tenant inserted around the admin API lacks its policy row: it is served the defaults.
    policy: row.policy === null ? DEFAULT_POLICY_FIELDS : policyFieldsOf(row.policy),
    origins: row.origins,
  };
}
