import { DEFAULT_POLICY } from '#dynamic-cors';
import type { InvalidField } from '#problem-details';
import { type NewOriginRule, parseOriginRules } from '../../origins/origin-rules.js';
import { policyIssues } from '../../policies/policy-rules.js';
import type { PolicyFields } from '../../policies/policy.schema.js';
import { toInvalidFields } from '../../validation/zod-issues.js';
import type { DesiredTenant, MappedConfig, TenantDraft, TenantState } from './config-model.js';
import { tenantDraftSchema, type TenantDraftFields } from './config-document.schema.js';

/** The policy of a new tenant (the database's defaults, SPEC "Policy model"). */
export const DEFAULT_POLICY_FIELDS: PolicyFields = {
  allowedMethods: [...DEFAULT_POLICY.allowedMethods],
  allowedHeaders: [...DEFAULT_POLICY.allowedHeaders],
  exposedHeaders: [...DEFAULT_POLICY.exposedHeaders],
  allowCredentials: DEFAULT_POLICY.allowCredentials,
  maxAge: DEFAULT_POLICY.maxAge,
  allowPrivateNetwork: DEFAULT_POLICY.allowPrivateNetwork,
  mode: DEFAULT_POLICY.mode,
  pathRules: [],
  preflightStatus: 204,
  timingAllowOrigin: false,
  debugHeader: false,
};

/** The tenants a configuration wants, in document order, or every reason it cannot be had. */
export interface ResolvedConfig {
  readonly desired: readonly DesiredTenant[];
  /** Where each desired tenant came from (`tenants[2]`), by slug. */
  readonly where: ReadonlyMap<string, string>;
  readonly invalid: readonly InvalidField[];
}

/**
 * Validates each draft with the admin API's schemas and rules and decides every field: what a
 * draft states, else (for a draft of a foreign format) what the tenant has now, else the default.
 * Every problem of every tenant is collected, each named by its place in the source, so that one
 * answer lists all of them. Pure: `current` holds the stored tenants the drafts name.
 */
export function resolveTenants(mapped: MappedConfig, current: ReadonlyMap<string, TenantState>): ResolvedConfig {
  const desired: DesiredTenant[] = [];
  const where = new Map<string, string>();
  const invalid: InvalidField[] = [];
  const hostOwners = new Map<string, string>();
  for (const draft of mapped.tenants) {
    const parsed = tenantDraftSchema.safeParse(draft.value, { reportInput: true });
    if (!parsed.success) {
      invalid.push(...within(draft.where, toInvalidFields(parsed.error.issues, 'tenant')));
      continue;
    }
    const fields = parsed.data;
    const first = where.get(fields.slug);
    if (first !== undefined) {
      invalid.push({ field: `${draft.where}.slug`, reason: `names tenant ${fields.slug} again (first at ${first})` });
      continue;
    }
    where.set(fields.slug, draft.where);
    const tenant = resolve(draft, fields, draft.complete ? undefined : current.get(fields.slug), invalid);
    if (tenant === undefined) continue;
    tenant.hostnames.forEach((hostname) => {
      const owner = hostOwners.get(hostname);
      if (owner === undefined) hostOwners.set(hostname, draft.where);
      else invalid.push({ field: `${draft.where}.hostnames`, reason: `${hostname} is also claimed by ${owner}` });
    });
    desired.push(tenant);
  }
  return { desired, where, invalid };
}

function resolve(
  draft: TenantDraft,
  fields: TenantDraftFields,
  base: TenantState | undefined,
  invalid: InvalidField[],
): DesiredTenant | undefined {
  if (draft.complete && fields.name === undefined) {
    invalid.push({ field: `${draft.where}.name`, reason: 'is required' });
    return undefined;
  }
  const basePolicy = base?.policy ?? DEFAULT_POLICY_FIELDS;
  const policy: PolicyFields = { ...basePolicy };
  for (const [key, value] of Object.entries(fields.policy ?? {})) {
    if (value !== undefined) (policy as Record<string, unknown>)[key] = value;
  }
  const outside = draft.keeps?.methodsOutside;
  if (outside !== undefined && fields.policy?.allowedMethods !== undefined) {
    const kept = basePolicy.allowedMethods.filter((m) => !outside.includes(m) && !policy.allowedMethods.includes(m));
    policy.allowedMethods = [...policy.allowedMethods, ...kept];
  }
  let origins: readonly NewOriginRule[] = base?.origins ?? [];
  if (fields.origins !== undefined) {
    const parsed = parseOriginRules(fields.origins);
    if (parsed.invalid.length > 0) {
      invalid.push(...within(draft.where, parsed.invalid));
      return undefined;
    }
    const keptKinds = draft.keeps?.originKinds ?? [];
    const values = new Set(parsed.rules.map((rule) => rule.value));
    // Foreign formats have no expiry or note: a rule they name keeps the stored ones.
    const stored = new Map(origins.map((rule) => [rule.value, rule]));
    const named = draft.complete ? parsed.rules : parsed.rules.map((rule) => ({ ...rule, ...extrasOf(stored.get(rule.value)) }));
    origins = [...named, ...origins.filter((rule) => keptKinds.includes(rule.kind) && !values.has(rule.value))];
  }
  const issues = policyIssues(policy, origins);
  if (issues.length > 0) {
    invalid.push(...within(`${draft.where}.policy`, issues));
    return undefined;
  }
  return {
    slug: fields.slug,
    name: fields.name ?? base?.name ?? draft.nameIfNew ?? fields.slug,
    hostnames: [...(fields.hostnames ?? base?.hostnames ?? [])].sort(),
    upstreamUrl: fields.upstreamUrl !== undefined ? fields.upstreamUrl : (base?.upstreamUrl ?? null),
    policy,
    origins,
  };
}

function extrasOf(rule: NewOriginRule | undefined): Pick<NewOriginRule, 'expiresAt' | 'note'> {
  return { expiresAt: rule?.expiresAt ?? null, note: rule?.note ?? null };
}

/** Fields named inside `where` (`tenants[2]` + `origins[0]` → `tenants[2].origins[0]`). */
export function within(where: string, fields: readonly InvalidField[]): InvalidField[] {
  return fields.map(({ field, reason }) => ({ field: field === 'tenant' ? where : `${where}.${field}`, reason }));
}
