import { parsePathPattern } from './path-pattern.js';
import { effectivePolicy, MAX_PATH_RULES } from './path-rules.js';
import type { CorsPolicy, PathRule } from './policy.js';
import { validatePolicy, type PolicyInput } from './validate-policy.js';

/** One problem found by {@link validatePathRules}, with its field path (`pathRules[1].origins[0]`). */
export interface PathRuleIssue {
  readonly field: string;
  readonly reason: string;
}

const RULE_FIELDS = ['allowedMethods', 'allowedHeaders', 'exposedHeaders', 'allowCredentials', 'maxAge'] as const;

/**
 * Checks path rules against the policy they belong to, as {@link validatePolicy} checks the
 * policy: each pattern, each field a rule sets, and each rule's effective policy (a field the
 * rule leaves unset is the policy's, so `*` in a rule under a credentialed policy is refused).
 * Origin rules are expected to come from `parseOriginRule`.
 *
 * @returns every problem found, empty when the rules are valid.
 */
export function validatePathRules(policy: CorsPolicy, rules: readonly PathRule[]): readonly PathRuleIssue[] {
  const issues: PathRuleIssue[] = [];
  if (rules.length > MAX_PATH_RULES) {
    issues.push({
      field: 'pathRules',
      reason: `must have at most ${MAX_PATH_RULES} entries`,
    });
  }
  const firstByPath = new Map<string, number>();
  rules.forEach((rule, index) => {
    const at = `pathRules[${index}]`;
    const pattern = parsePathPattern(rule.path);
    if (!pattern.ok) {
      issues.push({ field: `${at}.path`, reason: pattern.reason });
    } else {
      const first = firstByPath.get(pattern.pattern.path);
      if (first === undefined) firstByPath.set(pattern.pattern.path, index);
      else
        issues.push({
          field: `${at}.path`,
          reason: `is the same path as pathRules[${first}] (${pattern.pattern.path}): it would never match`,
        });
    }
    if (rule.disabled !== undefined && typeof rule.disabled !== 'boolean') {
      issues.push({
        field: `${at}.disabled`,
        reason: 'disabled must be true or false',
      });
    }
    const effective = effectivePolicy(policy, rule);
    const fields: { -readonly [K in keyof PolicyInput]: PolicyInput[K] } = {};
    for (const field of RULE_FIELDS) (fields as Record<string, unknown>)[field] = effective[field];
    for (const issue of validatePolicy(fields)) {
      // A field the rule leaves unset is the policy's: reported there, unless this rule's own
      // credentials are what makes it invalid.
      if (rule[issue.field as keyof PathRule] !== undefined) {
        issues.push({ field: `${at}.${issue.field}`, reason: issue.reason });
      } else if (rule.allowCredentials !== undefined) {
        issues.push({
          field: `${at}.allowCredentials`,
          reason: `${issue.reason} (${issue.field} is the policy's)`,
        });
      }
    }
    effective.origins.forEach((origin, position) => {
      const own = rule.origins !== undefined;
      if (!own && rule.allowCredentials === undefined) return;
      for (const issue of validatePolicy({
        allowCredentials: effective.allowCredentials,
        origins: [origin],
      })) {
        issues.push(
          own
            ? { field: `${at}.origins[${position}]`, reason: issue.reason }
            : {
                field: `${at}.allowCredentials`,
                reason: `${issue.reason} (the policy's origin ${origin.value})`,
              },
        );
      }
    });
  });
  return issues;
}
