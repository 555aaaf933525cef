import { Injectable } from '@nestjs/common';
import { PrismaService } from '#database';
import { credentialsConflict, parseOriginRule } from '#dynamic-cors';
import { DomainError } from '#problem-details';
import { AuditLogRepository } from '../audit/audit-log.repository.js';
import { PoliciesRepository } from '../policies/policies.repository.js';
import { usesOwnOriginsWithCredentials } from '../policies/policy.schema.js';
import type { TenantRef } from '../tenants/tenant.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { VersionRecorder } from '../versions/version-recorder.js';
import { MAX_ORIGINS, MAX_REGEX_RULES, type OriginRuleRequest, type OriginRuleView } from './origin.schema.js';
import { type NewOriginRule, parseOriginRules } from './origin-rules.js';
import { OriginsRepository } from './origins.repository.js';

const ANY_WITH_CREDENTIALS =
  'origin * cannot be allowed while allowCredentials is true (the Fetch standard forbids * with credentials); list the origins, or turn credentials off first';

/**
 * A tenant's allowed origins. Every rule is normalised and checked by the CORS engine before it
 * is stored, so the gateway never meets a rule it cannot use. Writes take the policy lock (see
 * {@link PoliciesRepository.lock}) so that credentials are never on together with a rule they
 * rule out (`*`, `null`, a regex reaching beyond one registrable domain).
 */
@Injectable()
export class OriginsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tenants: TenantsRepository,
    private readonly policies: PoliciesRepository,
    private readonly origins: OriginsRepository,
    private readonly audit: AuditLogRepository,
    private readonly versions: VersionRecorder,
  ) {}

  async list(slug: string): Promise<OriginRuleView[]> {
    return this.origins.list(await this.tenants.requireRef(slug));
  }

  add(actor: string, slug: string, input: OriginRuleRequest): Promise<OriginRuleView> {
    const parsed = parseOriginRule(input);
    if (!parsed.ok) throw DomainError.validation([{ field: parsed.field, reason: parsed.reason }]);
    const rule: NewOriginRule = { ...parsed.rule, expiresAt: input.expiresAt, note: input.note };
    return this.prisma.$transaction(async (tx) => {
      const tenant = await this.tenants.requireRef(slug, tx);
      const policy = await this.policies.lock(tenant, tx);
      const conflict = usesOwnOriginsWithCredentials(policy) ? withCredentials(rule) : undefined;
      if (conflict !== undefined)
        throw DomainError.validation([{ field: rule.kind === 'regex' ? 'pattern' : 'origin', reason: conflict }]);
      if ((await this.origins.count(tenant, tx)) >= MAX_ORIGINS) {
        throw DomainError.validation([
          {
            field: 'origin',
            reason: `tenant ${tenant.slug} already has the most origin rules allowed (${MAX_ORIGINS})`,
          },
        ]);
      }
      if (rule.kind === 'regex' && (await this.origins.count(tenant, tx, 'regex')) >= MAX_REGEX_RULES) {
        throw DomainError.validation([
          {
            field: 'pattern',
            reason: `tenant ${tenant.slug} already has the most regex rules allowed (${MAX_REGEX_RULES})`,
          },
        ]);
      }
      const added = await this.origins.add(tenant, rule, tx);
      await this.audit.record(tenant, { actor, action: 'origin.added', before: null, after: added }, tx);
      const until = added.expiresAt === null ? '' : ` until ${added.expiresAt}`;
      await this.versions.record(tx, tenant, actor, `added origin ${added.value}${until}`);
      return added;
    });
  }

  /**
   * Replaces the whole list, all or nothing: every rule is validated before anything is
   * written, and the write is one transaction with one audit event. The database triggers'
   * notifications of that transaction are identical, so PostgreSQL delivers one.
   */
  replace(actor: string, slug: string, inputs: readonly OriginRuleRequest[]): Promise<OriginRuleView[]> {
    const rules = parseAll(inputs);
    return this.prisma.$transaction(async (tx) => {
      const tenant = await this.tenants.requireRef(slug, tx);
      const policy = await this.policies.lock(tenant, tx);
      if (usesOwnOriginsWithCredentials(policy)) {
        const conflicts = rules.flatMap((rule, index) => {
          const reason = withCredentials(rule);
          return reason === undefined ? [] : [{ field: `origins[${index}]`, reason }];
        });
        if (conflicts.length > 0) throw DomainError.validation(conflicts);
      }
      const before = await this.origins.list(tenant, tx);
      const after = await this.origins.replace(tenant, rules, tx);
      await this.audit.record(tenant, { actor, action: 'origins.replaced', before, after }, tx);
      await this.versions.record(tx, tenant, actor, replacementSummary(before, after));
      return after;
    });
  }

  remove(actor: string, slug: string, id: string): Promise<void> {
    return this.prisma.$transaction(async (tx) => {
      const tenant: TenantRef = await this.tenants.requireRef(slug, tx);
      await this.policies.lock(tenant, tx);
      const removed = await this.origins.remove(tenant, id, tx);
      await this.audit.record(tenant, { actor, action: 'origin.removed', before: removed, after: null }, tx);
      await this.versions.record(tx, tenant, actor, `removed origin ${removed.value}`);
    });
  }
}

/** `replaced the origins: 2 added, 1 removed (3 in all)`. */
function replacementSummary(before: readonly OriginRuleView[], after: readonly OriginRuleView[]): string {
  const was = new Set(before.map((rule) => rule.value));
  const now = new Set(after.map((rule) => rule.value));
  const added = after.filter((rule) => !was.has(rule.value)).length;
  const removed = before.filter((rule) => !now.has(rule.value)).length;
  return `replaced the origins: ${added} added, ${removed} removed (${after.length} in all)`;
}

/** Why a rule cannot be added while the policy allows credentials, if it cannot. */
function withCredentials(rule: NewOriginRule): string | undefined {
  if (rule.kind === 'any') return ANY_WITH_CREDENTIALS;
  const conflict = credentialsConflict(rule);
  return conflict === undefined ? undefined : `${conflict}; or turn credentials off first: ${rule.value}`;
}

function parseAll(inputs: readonly OriginRuleRequest[]): NewOriginRule[] {
  const { rules, invalid } = parseOriginRules(inputs);
  if (invalid.length > 0) throw DomainError.validation(invalid);
  return rules;
}
