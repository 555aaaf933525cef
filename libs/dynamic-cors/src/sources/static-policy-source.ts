import {
  compilePolicy,
  type CorsPolicy,
  credentialsConflict,
  DEFAULT_POLICY,
  type OriginRule,
  type OriginRuleInput,
  parseOriginRule,
  type PathRule,
  validatePathRules,
  validatePolicy,
} from '../core/index.js';
import { isLdhName, isSlug, normaliseHost } from '../tenancy/tenant-names.js';
import type { CorsTarget, PolicySource, TenantKey } from './policy-source.js';

/** An origin rule as written in code: an origin (`https://app.example.com`, `https://*.example.com`, `*`) or a regex. */
export type StaticOrigin = string | OriginRuleInput;

/** A path rule as written in code: its origins, when it has any, written like the policy's. */
export type StaticPathRule = Omit<PathRule, 'origins'> & { readonly origins?: readonly StaticOrigin[] };

/** A tenant's policy as written in code: unset fields take the admin API's defaults. */
export interface StaticTenantPolicy extends Partial<Omit<CorsPolicy, 'origins' | 'pathRules'>> {
  readonly origins: readonly StaticOrigin[];
  readonly pathRules?: readonly StaticPathRule[];
  /** Host names that also name this tenant (for `tenantByHost`). */
  readonly hostnames?: readonly string[];
}

/**
 * Policies written in code, by slug: validated now with the admin API's rules (each origin
 * parsed and normalised, wildcards over public suffixes and `*` or `null` with credentials
 * refused, path rules checked), so that a bad rule stops the app at start-up with a message
 * naming the tenant, the field and the reason, rather than misbehaving later.
 *
 * ```ts
 * staticPolicySource({ acme: { origins: ['https://app.acme.com'], allowCredentials: true } })
 * ```
 */
export function staticPolicySource(policies: Readonly<Record<string, StaticTenantPolicy>>): PolicySource<TenantKey> {
  const bySlug = new Map<string, CorsTarget>();
  const byHostname = new Map<string, CorsTarget>();
  const problems: string[] = [];
  for (const [slug, input] of Object.entries(policies)) {
    const issues: string[] = [];
    if (!isSlug(slug)) issues.push('the slug must be a lower-case DNS label (a-z, 0-9, "-")');
    const policy = policyOf(input, issues);
    if (issues.length === 0) {
      const target: CorsTarget = { tenantId: slug, slug, policy: compilePolicy(policy) };
      bySlug.set(slug, target);
      for (const [index, written] of (input.hostnames ?? []).entries()) {
        const hostname = normaliseHost(written);
        const holder = byHostname.get(hostname);
        if (!isLdhName(hostname)) issues.push(`hostnames[${index}]: ${JSON.stringify(written)} is not a host name`);
        else if (holder) issues.push(`hostnames[${index}]: ${hostname} is already tenant ${holder.slug}'s`);
        else byHostname.set(hostname, target);
      }
    }
    for (const issue of issues) problems.push(`tenant ${JSON.stringify(slug)}: ${issue}`);
  }
  if (problems.length > 0) throw new Error(`staticPolicySource: invalid policies\n  ${problems.join('\n  ')}`);
  return {
    forTenant: (key) => (typeof key === 'string' ? (bySlug.get(key) ?? null) : byHostname.get(key.hostname)),
  };
}

/** The policy of `input`, defaults filled in; what is wrong with it goes to `issues`. */
function policyOf(input: StaticTenantPolicy, issues: string[]): CorsPolicy {
  const origins = parseOrigins(input.origins, 'origins', issues);
  const { hostnames: _hostnames, pathRules: writtenRules, origins: _origins, ...fields } = input;
  const policy: CorsPolicy = { ...DEFAULT_POLICY, ...fields, origins };
  for (const issue of validatePolicy({ ...policy, origins: [], pathRules: undefined })) issues.push(`${issue.field}: ${issue.reason}`);
  for (const rule of policy.allowCredentials ? origins : []) {
    const conflict = credentialsConflict(rule);
    if (conflict !== undefined) issues.push(`origins: ${rule.value} cannot be allowed with allowCredentials: ${conflict}`);
  }
  if (writtenRules === undefined || writtenRules.length === 0) return policy;
  const pathRules: PathRule[] = writtenRules.map((rule, index) =>
    rule.origins === undefined ? (rule as PathRule) : { ...rule, origins: parseOrigins(rule.origins, `pathRules[${index}].origins`, issues) },
  );
  for (const issue of validatePathRules(policy, pathRules)) issues.push(`${issue.field}: ${issue.reason}`);
  return { ...policy, pathRules };
}

function parseOrigins(written: readonly StaticOrigin[] | undefined, field: string, issues: string[]): OriginRule[] {
  if (!Array.isArray(written)) {
    issues.push(`${field}: must be a list of origins`);
    return [];
  }
  const rules: OriginRule[] = [];
  written.forEach((origin: StaticOrigin, index) => {
    const parsed = parseOriginRule(typeof origin === 'string' ? { origin } : origin);
    if (parsed.ok) rules.push(parsed.rule);
    else issues.push(`${field}[${index}]: ${JSON.stringify(typeof origin === 'string' ? origin : 'origin' in origin ? origin.origin : origin.pattern)} ${parsed.reason}`);
  });
  return rules;
}
