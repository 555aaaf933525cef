import { normaliseOriginInput, show } from './origin-input.js';
import { validateOriginPattern } from './origin-pattern.js';
import type { OriginRule } from './policy.js';
import { publicSuffixOf } from './public-suffix.js';

/** An origin rule as an administrator submits it: an origin (exact, wildcard, `*`) or a regex. */
export type OriginRuleInput =
  { readonly origin: string } | { readonly pattern: string; readonly type: 'regex' };

/** The outcome of {@link parseOriginRule}: the normalised rule or why it was refused. */
export type OriginRuleResult =
  | { readonly ok: true; readonly rule: Pick<OriginRule, 'kind' | 'value'> }
  | { readonly ok: false; readonly reason: string; readonly field: 'origin' | 'pattern' };

/**
 * Parses and normalises one origin rule, refusing any rule that cannot match a real origin or
 * would match more than it says.
 *
 * - `*` → `any`.
 * - `https://*.example.com[:port]` → `wildcard`: the `*` is the whole leftmost label, followed
 *   by at least two labels that are not a public suffix (`*.co.uk` and `*.github.io` are
 *   refused, by the Public Suffix List); it stands for one or more labels.
 * - anything else in `origin` → `exact`, normalised by {@link normaliseOriginInput}.
 * - `{ pattern, type: 'regex' }` → `regex`, validated by {@link validateOriginPattern}.
 */
export function parseOriginRule(input: OriginRuleInput): OriginRuleResult {
  if ('pattern' in input) {
    if (input.type !== 'regex') return refuse('pattern', 'pattern type must be "regex"');
    const pattern = validateOriginPattern(input.pattern);
    return pattern.ok
      ? { ok: true, rule: { kind: 'regex', value: pattern.source } }
      : refuse('pattern', pattern.reason);
  }
  if (typeof input.origin !== 'string') return refuse('origin', 'origin must be a string');
  const origin = input.origin.trim();
  if (origin === '*') return { ok: true, rule: { kind: 'any', value: '*' } };
  if (origin.includes('*')) return parseWildcard(origin);
  const exact = normaliseOriginInput(origin);
  return exact.ok
    ? { ok: true, rule: { kind: 'exact', value: exact.origin } }
    : refuse('origin', exact.reason);
}

const WILDCARD_EXAMPLE = 'https://*.example.com';

function parseWildcard(origin: string): OriginRuleResult {
  if (origin.indexOf('*') !== origin.lastIndexOf('*')) {
    return refuse('origin', `origin may contain only one wildcard: ${show(origin)}`);
  }
  const schemeEnd = origin.indexOf('://');
  if (schemeEnd === -1 || schemeEnd > origin.indexOf('*')) {
    return refuse('origin', `wildcard origin must include the scheme, e.g. ${WILDCARD_EXAMPLE}`);
  }
  const scheme = origin.slice(0, schemeEnd);
  const afterScheme = origin.slice(schemeEnd + 3);
  if (!afterScheme.startsWith('*.')) {
    return refuse(
      'origin',
      `wildcard must be the whole leftmost label, e.g. ${WILDCARD_EXAMPLE}: ${show(origin)}`,
    );
  }
  const base = normaliseOriginInput(`${scheme}://${afterScheme.slice(2)}`);
  if (!base.ok) return refuse('origin', base.reason);
  const baseOrigin = base.origin;
  const hostStart = baseOrigin.indexOf('://') + 3;
  const portStart = baseOrigin.indexOf(':', hostStart);
  const host = baseOrigin.slice(hostStart, portStart === -1 ? undefined : portStart);
  if (host.startsWith('[') || /^[0-9.]+$/.test(host)) {
    return refuse('origin', `wildcard cannot be used with an IP address: ${show(origin)}`);
  }
  const suffix = publicSuffixOf(host);
  if (suffix !== undefined) {
    return refuse(
      'origin',
      `wildcard covers the public suffix ${suffix}: anyone can register a name under it; use a domain of your own, e.g. https://*.example.${suffix}: ${show(origin)}`,
    );
  }
  if (!host.includes('.')) {
    return refuse(
      'origin',
      `wildcard must be followed by at least two labels, e.g. ${WILDCARD_EXAMPLE}: ${show(origin)}`,
    );
  }
  return {
    ok: true,
    rule: {
      kind: 'wildcard',
      value: `${baseOrigin.slice(0, hostStart)}*.${baseOrigin.slice(hostStart)}`,
    },
  };
}

function refuse(field: 'origin' | 'pattern', reason: string): OriginRuleResult {
  return { ok: false, reason, field };
}
