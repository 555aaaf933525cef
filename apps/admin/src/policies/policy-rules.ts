import { credentialsConflict, type OriginRule, validatePathRules, validatePolicy } from '#dynamic-cors';
import type { InvalidField } from '#problem-details';
import type { PolicyFields } from './policy.schema.js';

/**
 * What is wrong with a whole policy: the rules between its fields and path rules, by the same
 * engine the gateway compiles with, checked against the tenant's credential-sensitive origin
 * rules (`*`, `null`, regexes) when credentials are on. Pure, so that the policy routes, the
 * configuration import and the CLI's offline `validate` judge a policy alike.
 */
export function policyIssues(fields: PolicyFields, origins: readonly Pick<OriginRule, 'kind' | 'value'>[]): InvalidField[] {
  const invalid: InvalidField[] = validatePolicy({ ...fields, origins: [] }).map((issue) => ({
    field: issue.field,
    reason: issue.reason,
  }));
  // What this write changed is the credentials: name them, and the rule they conflict with.
  for (const rule of fields.allowCredentials ? origins : []) {
    const conflict = credentialsConflict(rule);
    if (conflict === undefined) continue;
    invalid.push({
      field: 'allowCredentials',
      reason:
        rule.kind === 'any'
          ? 'cannot be true while origin * is allowed (the Fetch standard forbids * with credentials); remove the * origin first'
          : `cannot be true while the origin rule ${rule.value} is allowed: ${conflict}; remove it first`,
    });
  }
  // Path rules are checked against the same credential-sensitive origins, which they inherit.
  invalid.push(...validatePathRules({ ...fields, origins }, fields.pathRules));
  return invalid;
}
