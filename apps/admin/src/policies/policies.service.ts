import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '#database';
import type { OriginRule } from '#dynamic-cors';
import { DomainError } from '#problem-details';
import { AuditLogRepository } from '../audit/audit-log.repository.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { VersionRecorder } from '../versions/version-recorder.js';
import { satisfies, type VersionPrecondition } from './if-match.js';
import { PoliciesRepository } from './policies.repository.js';
import { policyIssues } from './policy-rules.js';
import {
  type PatchPolicyInput,
  type PolicyFields,
  type PolicyRecord,
  type PolicyView,
  type ReplaceFields,
  toPolicyView,
  usesOwnOriginsWithCredentials,
} from './policy.schema.js';

/** A policy change: every field (`PUT`) or some (`PATCH`). */
export type PolicyChange =
  | { readonly kind: 'replace'; readonly fields: ReplaceFields }
  | { readonly kind: 'patch'; readonly fields: PatchPolicyInput };

/**
 * Reads and changes a tenant's policy with optimistic concurrency: a write names the version it
 * is based on and fails with 412 when someone else changed the policy since.
 */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tenants: TenantsRepository,
    private readonly policies: PoliciesRepository,
    private readonly audit: AuditLogRepository,
    private readonly versions: VersionRecorder,
  ) {}

  async get(slug: string): Promise<PolicyView> {
    return toPolicyView(await this.policies.get(await this.tenants.requireRef(slug)));
  }

  change(actor: string, slug: string, change: PolicyChange, precondition: VersionPrecondition): Promise<PolicyView> {
    return this.prisma.$transaction(async (tx) => {
      const tenant = await this.tenants.requireRef(slug, tx);
      // The row lock makes the version check and the write one step: of two writers based on
      // the same version, the second sees the first's increment and gets 412.
      const before = await this.policies.lock(tenant, tx);
      if (!satisfies(precondition, before.version)) {
        throw new DomainError(
          'version_mismatch',
          `the policy is at version ${before.version}; read it again and reapply your change`,
        );
      }
      const fields = merge(before, change);
      const origins = usesOwnOriginsWithCredentials(fields) ? await this.policies.credentialSensitiveOrigins(tenant, tx) : [];
      assertValid(fields, origins);
      const after = await this.policies.update(tenant, fields, tx);
      await this.audit.record(tenant, { actor, action: 'policy.updated', before, after }, tx);
      await this.versions.record(tx, tenant, actor, policySummary(before, after));
      return toPolicyView(after);
    });
  }
}

/** `policy changed: maxAge 600 → 3600, mode`: the fields that changed, short values shown. */
function policySummary(before: PolicyRecord, after: PolicyRecord): string {
  const changed = (Object.keys(after) as (keyof PolicyRecord)[]).filter(
    (field) => field !== 'version' && field !== 'updatedAt' && !isDeepStrictEqual(before[field], after[field]),
  );
  if (changed.length === 0) return 'policy saved unchanged';
  const shown = changed.map((field) => {
    const was = JSON.stringify(before[field]);
    const now = JSON.stringify(after[field]);
    return was.length + now.length <= 40 ? `${field} ${was} → ${now}` : field;
  });
  return `policy changed: ${shown.join(', ')}`;
}

function merge(current: PolicyRecord, change: PolicyChange): PolicyFields {
  const { version: _version, updatedAt: _updatedAt, ...stored } = current;
  const { version: _patchVersion, updatedAt: _readOnly, warnings: _ignored, ...patch } = change.fields as PatchPolicyInput;
  // A `PUT` leaving out a second-wave field keeps it, as a `PATCH` keeps every field it leaves out.
  const fields: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) fields[key] = value;
  return fields as PolicyFields;
}

/** Rules between fields, by the same engine the gateway compiles with. */
function assertValid(fields: PolicyFields, origins: readonly Pick<OriginRule, 'kind' | 'value'>[]): void {
  const invalid = policyIssues(fields, origins);
  if (invalid.length > 0) throw DomainError.validation(invalid);
}
