import { isSafePattern } from 'redos-detector';
import { compileLinearPattern, type LinearPattern } from './linear-pattern.js';
import { patternHost } from './pattern-host.js';
import { publicSuffixOf } from './public-suffix.js';
import { emitPattern } from './regex-emit.js';
import type { RegexNode } from './regex-syntax.js';

/** Longest accepted regex origin pattern. */
export const MAX_PATTERN_LENGTH = 256;

// Bounds on the ReDoS analysis, so that validating one pattern cannot stall the admin API (the
// analysis is synchronous: it holds the event loop for every tenant). Its cost grows faster
// than its steps: at 20,000 steps `(a|aa)+` ran into the time limit, 3 s of a busy core per
// request; at 2,000 the step limit stops every unsafe pattern the campaign tries within
// ~0.6 s there, while the patterns administrators write finish in a few milliseconds. The time
// limit is only a net: the step limit decides, so a verdict does not depend on the load.
// (On the request path patterns run in RE2JS, linear whatever this analysis concludes.)
const REDOS_TIMEOUT_MS = 3000;
const REDOS_MAX_STEPS = 2_000;

// Origins no legitimate pattern should match: a pattern that accepts them accepts the world
// (with credentials, that is the "reflect any origin" misconfiguration that `*` is refused for).
const CANARY_ORIGINS = ['https://corsmesh-canary.invalid', 'http://corsmesh-canary.invalid:1'];

/** The outcome of {@link validateOriginPattern}. */
export type OriginPatternResult =
  { readonly ok: true; readonly source: string } | { readonly ok: false; readonly reason: string };

/**
 * Validates a regular-expression origin rule. The pattern is matched, without flags, against
 * the normalised (lower-case) origin, so it must be anchored `^…$` with no top-level
 * alternation, at most 256 characters, valid JavaScript, free of backreferences, lookaround
 * and modifiers, lower-case ASCII, not match arbitrary origins, not end in a bare public
 * suffix (`\.co\.uk$`), and not be prone to catastrophic backtracking (checked with
 * redos-detector, bounded in time and steps). Accepted patterns are matched by a linear-time
 * engine anyway (see {@link compileLinearPattern}).
 */
export function validateOriginPattern(source: string): OriginPatternResult {
  if (typeof source !== 'string' || source === '') return refuse('pattern must not be empty');
  if (source.length > MAX_PATTERN_LENGTH) {
    return refuse(`pattern must be at most ${MAX_PATTERN_LENGTH} characters`);
  }
  if (!source.startsWith('^') || !endsWithUnescapedDollar(source)) {
    return refuse('pattern must be anchored: start with ^ and end with $');
  }
  const compiled = compileLinearPattern(source);
  if (!compiled.ok) return refuse(compiled.reason);
  if (compiled.topLevelOptions > 1) {
    return refuse('pattern must not have a top-level alternation; group it: ^(?:a|b)$');
  }
  if (hasUpperCaseLiteral(compiled.tree)) {
    return refuse('pattern must be lower-case: it is matched against the normalised, lower-case origin');
  }
  // Analysed as emitted from the parsed tree, so the analysis reads what JavaScript reads.
  const backtracking = checkBacktracking(emitPattern(compiled.tree, 'javascript'));
  if (backtracking !== null) return refuse(backtracking);
  const host = patternHost(compiled.tree);
  const suffix = host === undefined || host.exact ? undefined : publicSuffixOf(host.host);
  if (suffix !== undefined) {
    return refuse(
      `pattern covers the public suffix ${suffix}: anyone can register a name under it; end the pattern in your own domain, e.g. \\.example\\.${suffix.replaceAll('.', '\\.')}$`,
    );
  }
  const canary = findCanaryMatch(compiled.pattern, CANARY_ORIGINS);
  if (canary !== undefined) {
    return refuse(`pattern matches unrelated origins such as ${canary}; use * to allow any origin`);
  }
  return { ok: true, source };
}

/** The first of `origins` the pattern matches. */
export function findCanaryMatch(pattern: LinearPattern, origins: readonly string[]): string | undefined {
  return origins.find((origin) => pattern.test(origin));
}

function checkBacktracking(canonical: string): string | null {
  try {
    const result = isSafePattern(canonical, {
      timeout: REDOS_TIMEOUT_MS,
      maxSteps: REDOS_MAX_STEPS,
    });
    // A timeout or step limit is not proof of safety: treat it as unsafe.
    return result.safe && result.error === null ? null : 'pattern may backtrack catastrophically';
  } catch (error) {
    // redos-detector throws on syntax it cannot analyse; what cannot be proven safe is refused.
    return `pattern could not be checked for catastrophic backtracking: ${(error as Error).message}`;
  }
}

function endsWithUnescapedDollar(source: string): boolean {
  if (!source.endsWith('$')) return false;
  let backslashes = 0;
  for (let i = source.length - 2; i >= 0 && source[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** Whether a literal (written or escaped, outside classes) is upper-case: it can never match. */
function hasUpperCaseLiteral(node: RegexNode): boolean {
  switch (node.type) {
    case 'chars':
      return node.literal && node.set.some((member, code) => member && code >= 65 && code <= 90);
    case 'sequence':
      return node.items.some(hasUpperCaseLiteral);
    case 'alternation':
      return node.options.some(hasUpperCaseLiteral);
    case 'repeat':
      return hasUpperCaseLiteral(node.node);
    case 'assertion':
      return false;
  }
}

function refuse(reason: string): OriginPatternResult {
  return { ok: false, reason };
}
