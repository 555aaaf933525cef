import type { CompiledPolicy } from './compile-policy.js';
import { matchesPath, parsePathPattern, type PathPattern } from './path-pattern.js';
import type { CorsPolicy, PathRule } from './policy.js';
import { normalisedPathEnd, normaliseRequestPath } from './request-path.js';

/** Most path rules a policy may have. */
export const MAX_PATH_RULES = 50;

/** One compiled path rule: its pattern and the policy that applies where it matches. */
export interface CompiledPathRule {
  /** Its 0-based position in `pathRules`. */
  readonly index: number;
  readonly pattern: PathPattern;
  /** Length and first character code of its first segment when that is a literal, else -1: a quick refusal. */
  readonly headLength: number;
  readonly headCode: number;
  /** The effective policy on matching paths; `undefined` when the rule disables CORS there. */
  readonly policy: CompiledPolicy | undefined;
}

/**
 * The policy a path rule makes effective: each field the rule sets replaces the policy's,
 * the rest (and `mode`, private network, preflight options) stays the policy's.
 */
export function effectivePolicy(policy: CorsPolicy, rule: PathRule): CorsPolicy {
  return {
    ...policy,
    origins: rule.origins ?? policy.origins,
    allowedMethods: rule.allowedMethods ?? policy.allowedMethods,
    allowedHeaders: rule.allowedHeaders ?? policy.allowedHeaders,
    exposedHeaders: rule.exposedHeaders ?? policy.exposedHeaders,
    allowCredentials: rule.allowCredentials ?? policy.allowCredentials,
    maxAge: rule.maxAge ?? policy.maxAge,
    pathRules: undefined,
  };
}

/**
 * Compiles a policy's path rules, in order, with `compile` for each effective policy.
 * A rule whose pattern is not valid (only a row written around the admin API can have one) is
 * left out with a warning rather than thrown, as compilePolicy does with origin rules.
 */
export function compilePathRules(
  policy: CorsPolicy,
  compile: (policy: CorsPolicy) => CompiledPolicy,
  warnings: string[],
): readonly CompiledPathRule[] | undefined {
  const rules = policy.pathRules;
  if (rules === undefined || rules.length === 0) return undefined;
  const compiled: CompiledPathRule[] = [];
  rules.slice(0, MAX_PATH_RULES).forEach((rule, index) => {
    const parsed = parsePathPattern(rule.path);
    if (!parsed.ok) {
      warnings.push(`pathRules[${index}] ignored: path ${parsed.reason}`);
      return;
    }
    const effective = rule.disabled === true ? undefined : compile(effectivePolicy(policy, rule));
    for (const warning of effective?.warnings ?? []) warnings.push(`pathRules[${index}]: ${warning}`);
    const head = parsed.pattern.segments[0];
    const literalHead = head !== undefined && head !== '*';
    compiled.push(
      Object.freeze({
        index,
        pattern: parsed.pattern,
        headLength: literalHead ? head.length : -1,
        headCode: literalHead ? head.charCodeAt(0) : -1,
        policy: effective,
      }),
    );
  });
  return compiled.length === 0 ? undefined : Object.freeze(compiled);
}

/**
 * The first path rule matching the request path that starts at `from` in `url` (query
 * excluded), normalised as README "Path rules" says. Allocates nothing for a path that is
 * already normalised, the usual case; a path with `%`, `\`, `//` or dot segments is
 * normalised into a new string first.
 */
export function matchPathRule(
  rules: readonly CompiledPathRule[],
  url: string,
  from: number,
): CompiledPathRule | undefined {
  let path = url;
  let start = from;
  let end = normalisedPathEnd(url, from);
  if (end === -1) {
    path = normaliseRequestPath(url, from);
    start = 0;
    end = path.length;
  }
  // The path's first segment, found once: a rule whose first segment is a literal of another
  // length or first character cannot match, and most rules of a long list fail there. The
  // check is exact (matchesPath would refuse the same rules), only cheaper: one indexOf for
  // the list instead of one per rule.
  const firstFrom = start + 1;
  let firstTo = start < end ? path.indexOf('/', firstFrom) : end;
  if (firstTo === -1 || firstTo > end) firstTo = end;
  const firstLength = firstTo - firstFrom;
  const firstCode = start < end ? path.charCodeAt(firstFrom) : -1;
  // Indexed, not for-of: iterating a frozen array allocates an iterator each time in V8.
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (firstCode !== -1 && rule.headLength !== -1 && (rule.headLength !== firstLength || rule.headCode !== firstCode)) continue;
    if (matchesPath(rule.pattern, path, start, end)) return rule;
  }
  return undefined;
}
