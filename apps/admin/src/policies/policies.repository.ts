import { Injectable } from '@nestjs/common';
import { type CorsPolicyModel as PolicyRow, PrismaService } from '#database';
import type { OriginRule } from '#dynamic-cors';
import { DomainError } from '#problem-details';
import type { Db } from '../persistence/prisma-errors.js';
import type { TenantRef } from '../tenants/tenant.js';
import type { PolicyFields, PolicyRecord } from './policy.schema.js';

/** Each tenant's policy row (1:1 with the tenant), and the lock that orders its writers. */
@Injectable()
export class PoliciesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async get(tenant: TenantRef, db: Db = this.prisma): Promise<PolicyRecord> {
    const row = await db.corsPolicy.findUnique({ where: { tenantId: tenant.id } });
    if (row === null) throw noPolicy(tenant);
    return toPolicyRecord(row);
  }

  /**
   * Locks the tenant's policy row until the transaction ends and returns it. Policy and
   * origin writes both take this lock first, so rules that span them (no origin `*` with
   * credentials) are checked against what is committed, not against a concurrent writer's
   * stale read.
   */
  async lock(tenant: TenantRef, db: Db): Promise<PolicyRecord> {
    const locked = await db.$queryRaw<
      unknown[]
    >`SELECT 1 FROM cors_policies WHERE tenant_id = ${tenant.id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw noPolicy(tenant);
    return this.get(tenant, db);
  }

  /** Stores the fields and increments the version; call with the row locked. */
  async update(tenant: TenantRef, fields: PolicyFields, db: Db): Promise<PolicyRecord> {
    const row = await db.corsPolicy.update({
      where: { tenantId: tenant.id },
      data: { ...policyRowOf(fields), version: { increment: 1 } },
    });
    return toPolicyRecord(row);
  }

  /**
   * The tenant's rules that may rule out credentials (`*`, `null`, regexes); the CORS engine
   * decides which do.
   */
  async credentialSensitiveOrigins(tenant: TenantRef, db: Db): Promise<Pick<OriginRule, 'kind' | 'value'>[]> {
    return db.originRule.findMany({
      where: { tenantId: tenant.id, OR: [{ kind: { in: ['any', 'regex'] } }, { kind: 'exact', value: 'null' }] },
      select: { kind: true, value: true },
      orderBy: { createdAt: 'asc' },
    });
  }
}

function noPolicy(tenant: TenantRef): DomainError {
  // Only a tenant inserted around the admin API can lack its policy row.
  return new DomainError('not_found', `tenant ${tenant.slug} has no policy`);
}

/** The columns of a policy row holding these fields (the policy routes and the import write them alike). */
export function policyRowOf(fields: PolicyFields) {
  return {
    allowedMethods: fields.allowedMethods,
    allowedHeaders: fields.allowedHeaders,
    exposedHeaders: fields.exposedHeaders,
    allowCredentials: fields.allowCredentials,
    maxAge: fields.maxAge,
    allowPrivateNetwork: fields.allowPrivateNetwork,
    mode: fields.mode === 'report-only' ? ('report_only' as const) : ('enforce' as const),
    pathRules: fields.pathRules as object[],
    preflightStatus: fields.preflightStatus,
    timingAllowOrigin: fields.timingAllowOrigin,
    debugHeader: fields.debugHeader,
  };
}

/** The policy fields of a stored row. */
export function policyFieldsOf(row: PolicyRow): PolicyFields {
  return {
    allowedMethods: row.allowedMethods,
    allowedHeaders: row.allowedHeaders,
    exposedHeaders: row.exposedHeaders,
    allowCredentials: row.allowCredentials,
    maxAge: row.maxAge,
    allowPrivateNetwork: row.allowPrivateNetwork,
    mode: row.mode === 'report_only' ? 'report-only' : 'enforce',
    // Written only by this repository (or a migration), as validated path rules.
    pathRules: row.pathRules as unknown as PolicyFields['pathRules'],
    preflightStatus: row.preflightStatus === 200 ? 200 : 204,
    timingAllowOrigin: row.timingAllowOrigin,
    debugHeader: row.debugHeader,
  };
}

/** The record of a stored policy row: its fields and concurrency token. */
export function toPolicyRecord(row: PolicyRow): PolicyRecord {
  return { ...policyFieldsOf(row), version: row.version, updatedAt: row.updatedAt.toISOString() };
}
