import { type OriginRule, type OriginRuleInput, parseOriginRule } from '#dynamic-cors';
import type { InvalidField } from '#problem-details';
import type { OriginRuleExtras } from './origin.schema.js';

/** A rule ready to store: what `parseOriginRule` returns, with its expiry and note. */
export type NewOriginRule = Pick<OriginRule, 'kind' | 'value'> & OriginRuleExtras;

/**
 * Parses a list of rules, reporting each invalid one and each repeat (after normalisation) by
 * index as `origins[i]`. Pure: the origin routes, the configuration import and the CLI's
 * offline `validate` judge a list alike.
 */
export function parseOriginRules(inputs: readonly (OriginRuleInput & Partial<OriginRuleExtras>)[]): {
  rules: NewOriginRule[];
  invalid: InvalidField[];
} {
  const rules: NewOriginRule[] = [];
  const invalid: InvalidField[] = [];
  const firstIndex = new Map<string, number>();
  inputs.forEach((input, index) => {
    const parsed = parseOriginRule(input);
    if (!parsed.ok) {
      invalid.push({ field: `origins[${index}]`, reason: parsed.reason });
      return;
    }
    const first = firstIndex.get(parsed.rule.value);
    if (first !== undefined) {
      invalid.push({
        field: `origins[${index}]`,
        reason: `is the same rule as origins[${first}] once normalised: ${parsed.rule.value}`,
      });
      return;
    }
    firstIndex.set(parsed.rule.value, index);
    rules.push({ ...parsed.rule, expiresAt: input.expiresAt ?? null, note: input.note ?? null });
  });
  return { rules, invalid };
}
