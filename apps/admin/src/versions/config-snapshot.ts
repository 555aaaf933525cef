import type { OriginRuleKind } from '#dynamic-cors';
import type { Db } from '../persistence/prisma-errors.js';
import { toPolicyRecord } from '../policies/policies.repository.js';
import type { PolicyFields } from '../policies/policy.schema.js';
import type { TenantRef } from '../tenants/tenant.js';

/** One origin rule as a version keeps it: what restoring it needs, no id. */
export interface SnapshotOrigin {
  readonly kind: OriginRuleKind;
  readonly value: string;
  readonly expiresAt: string | null;
  readonly note: string | null;
}

/**
 * A tenant's whole CORS configuration at one version: the policy fields (path rules included,
 * their origins as stored) and the origin rules in their matching order. Stored as JSON; the
 * tenant's name, hostnames and upstream are not part of it (they are routing, not CORS).
 */
export interface ConfigSnapshot {
  readonly policy: PolicyFields;
  readonly origins: readonly SnapshotOrigin[];
}

/** Reads the tenant's configuration as it stands in the transaction `db`. */
export async function readSnapshot(tenant: TenantRef, db: Db): Promise<ConfigSnapshot> {
  const [policy, origins] = await Promise.all([
    db.corsPolicy.findUniqueOrThrow({ where: { tenantId: tenant.id } }),
    db.originRule.findMany({ where: { tenantId: tenant.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  ]);
  const { version: _version, updatedAt: _updatedAt, ...fields } = toPolicyRecord(policy);
  return {
    policy: fields,
    origins: origins.map((rule) => ({
      kind: rule.kind,
      value: rule.value,
      expiresAt: rule.expiresAt?.toISOString() ?? null,
      note: rule.note,
    })),
  };
}

/**
 * A stored snapshot read back. Snapshots are written only by this feature (and the migration
 * that started every tenant's history, whose origins have no `expiresAt` or `note` keys).
 */
export function snapshotOf(json: unknown): ConfigSnapshot {
  const stored = json as { policy: PolicyFields; origins: Partial<SnapshotOrigin>[] };
  return {
    policy: stored.policy,
    origins: stored.origins.map((rule) => ({
      kind: rule.kind!,
      value: rule.value!,
      expiresAt: rule.expiresAt ?? null,
      note: rule.note ?? null,
    })),
  };
}
