import type { OriginRule, OriginRuleInput, OriginRuleRequest } from '../api/types.js';

/** One non-empty line of the bulk editor, with its 1-based line number. */
export interface OriginLine {
  readonly line: number;
  readonly input: OriginRuleInput;
  readonly text: string;
}

/**
 * The bulk editor's text: one rule per line; blank lines and `#` comments are skipped. A line
 * starting with `^` is a regular expression (the API only takes anchored ones); anything else
 * is an origin, a wildcard origin or `*`.
 */
export function parseOriginLines(text: string): OriginLine[] {
  const lines: OriginLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const value = raw.trim();
    if (value === '' || value.startsWith('#')) return;
    lines.push({
      line: index + 1,
      text: value,
      input: value.startsWith('^') ? { pattern: value, type: 'regex' } : { origin: value },
    });
  });
  return lines;
}

/** A stored rule as the API takes it back, e.g. in a proposed list of origins. */
export function inputOf(rule: OriginRule): OriginRuleInput {
  return rule.kind === 'regex' ? { pattern: rule.value, type: 'regex' } : { origin: rule.value };
}

/** The current rules as editor text, so a bulk edit starts from what is stored. */
export function formatOriginLines(rules: readonly OriginRule[]): string {
  return rules.map((rule) => rule.value).join('\n');
}

/**
 * The lines as rules to `PUT`, each line that names a current rule keeping that rule's expiry
 * (while it is still ahead) and note, so that editing the list as text loses neither.
 */
export function withKeptExtras(lines: readonly OriginLine[], current: readonly OriginRule[], now = Date.now()): OriginRuleRequest[] {
  const byValue = new Map(current.map((rule) => [rule.value, rule]));
  return lines.map((line) => {
    const kept = byValue.get(line.text);
    if (kept === undefined) return line.input;
    return {
      ...line.input,
      ...(kept.expiresAt !== null && Date.parse(kept.expiresAt) > now ? { expiresAt: kept.expiresAt } : {}),
      ...(kept.note === null ? {} : { note: kept.note }),
    };
  });
}

export const KIND_LABELS: Record<OriginRule['kind'], string> = {
  exact: 'exact',
  wildcard: 'wildcard',
  regex: 'regex',
  any: 'any origin',
};
