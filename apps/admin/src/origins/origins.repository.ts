import { Injectable } from '@nestjs/common';
import { type OriginRuleModel as OriginRuleRow, type OriginRuleUsageModel as OriginRuleUsageRow, PrismaService } from '#database';
import { DomainError } from '#problem-details';
import { type Db, isUniqueViolation } from '../persistence/prisma-errors.js';
import type { TenantRef } from '../tenants/tenant.js';
import type { NewOriginRule } from './origin-rules.js';
import type { OriginRuleView } from './origin.schema.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A tenant's allowed-origin rules, unique per tenant by normalised value. */
@Injectable()
export class OriginsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The rules in the order they were added, the gateway's matching order for regexes, each
   * with how often and when it last matched (recorded by the gateways, see traffic/).
   */
  async list(tenant: TenantRef, db: Db = this.prisma): Promise<OriginRuleView[]> {
    // One after the other: `db` may be an interactive transaction, one connection.
    const rows = await db.originRule.findMany({ where: { tenantId: tenant.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const usage = await db.originRuleUsage.findMany({ where: { tenantId: tenant.id } });
    const byRule = new Map(usage.map((row) => [row.ruleId, row]));
    return rows.map((row) => withUsage(toView(row), byRule.get(row.id)));
  }

  /** How many rules the tenant has, of one kind or in all. */
  async count(tenant: TenantRef, db: Db, kind?: NewOriginRule['kind']): Promise<number> {
    return db.originRule.count({ where: { tenantId: tenant.id, ...(kind === undefined ? {} : { kind }) } });
  }

  /** Adds one rule; 409 when the tenant already has it. */
  async add(tenant: TenantRef, rule: NewOriginRule, db: Db): Promise<OriginRuleView> {
    const existing = await db.originRule.findUnique({
      where: { tenantId_value: { tenantId: tenant.id, value: rule.value } },
    });
    if (existing !== null) throw duplicate(rule.value);
    try {
      return toView(await db.originRule.create({ data: { tenantId: tenant.id, ...columnsOf(rule) } }));
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate(rule.value);
      throw error;
    }
  }

  /**
   * Makes the tenant's rules exactly `rules`: deletes the others and inserts the new ones;
   * rules that stay keep their id and creation time, and take the expiry and note given.
   */
  async replace(tenant: TenantRef, rules: readonly NewOriginRule[], db: Db): Promise<OriginRuleView[]> {
    const values = rules.map((rule) => rule.value);
    await db.originRule.deleteMany({ where: { tenantId: tenant.id, value: { notIn: values } } });
    await db.originRule.createMany({
      data: rules.map((rule) => ({ tenantId: tenant.id, ...columnsOf(rule) })),
      skipDuplicates: true,
    });
    if (rules.length > 0) {
      // One statement for the rules that stayed, touching only those whose expiry or note changed.
      await db.$executeRaw`
        UPDATE origin_rules o SET expires_at = r.expires_at, note = r.note
          FROM unnest(${values}::text[], ${rules.map((r) => r.expiresAt?.toISOString() ?? null)}::text[]::timestamptz[], ${rules.map((r) => r.note)}::text[])
               AS r(value, expires_at, note)
         WHERE o.tenant_id = ${tenant.id}::uuid AND o.value = r.value
           AND (o.expires_at IS DISTINCT FROM r.expires_at OR o.note IS DISTINCT FROM r.note)`;
    }
    return this.list(tenant, db);
  }

  /** Deletes the tenant's rule `id`; 404 when the tenant has no such rule. */
  async remove(tenant: TenantRef, id: string, db: Db): Promise<OriginRuleView> {
    const row = UUID.test(id) ? await db.originRule.findFirst({ where: { id, tenantId: tenant.id } }) : null;
    if (row === null) throw new DomainError('not_found', `tenant ${tenant.slug} has no origin rule ${id}`);
    await db.originRule.delete({ where: { id: row.id } });
    return toView(row);
  }
}

function duplicate(value: string): DomainError {
  return new DomainError('conflict', `origin rule ${value} is already allowed`);
}

function columnsOf(rule: NewOriginRule) {
  return { kind: rule.kind, value: rule.value, expiresAt: rule.expiresAt, note: rule.note };
}

/** The API's view of a stored rule; `expired` as of now; never matched until its usage says otherwise. */
export function toView(row: OriginRuleRow): OriginRuleView {
  return {
    id: row.id,
    kind: row.kind,
    value: row.value,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    expired: row.expiresAt !== null && row.expiresAt.getTime() <= Date.now(),
    note: row.note,
    lastMatchedAt: null,
    matchCount: 0,
  };
}

function withUsage(view: OriginRuleView, usage: OriginRuleUsageRow | undefined): OriginRuleView {
  return usage === undefined ? view : { ...view, lastMatchedAt: usage.lastMatchedAt.toISOString(), matchCount: Number(usage.matchCount) };
}
