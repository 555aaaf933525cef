import { isSafePattern } from 'redos-detector';

/** Longest accepted regex origin pattern. */
export const MAX_PATTERN_LENGTH = 256;

// Bounds on the ReDoS analysis, so that validating one pattern cannot stall the admin API.
const REDOS_TIMEOUT_MS = 250;
const REDOS_MAX_STEPS = 20_000;

// Origins no legitimate pattern should match: a pattern that accepts them accepts the world
// (with credentials, that is the "reflect any origin" misconfiguration that `*` is refused for).
const CANARY_ORIGINS = ['https://corsmesh-canary.invalid', 'http://corsmesh-canary.invalid:1'];

/** The outcome of {@link validateOriginPattern}. */
export type OriginPatternResult =
  { readonly ok: true; readonly source: string } | { readonly ok: false; readonly reason: string };

/**
 * Validates a regular-expression origin rule. The pattern is matched, without flags, against
 * the normalised (lower-case) origin, so it must be anchored `^…$` with no top-level
 * alternation, at most 256 characters, valid JavaScript, free of backreferences and
 * lookaround, lower-case, not match arbitrary origins, and not prone to catastrophic
 * backtracking (checked with redos-detector, bounded in time and steps).
 */
export function validateOriginPattern(source: string): OriginPatternResult {
  if (typeof source !== 'string' || source === '') return refuse('pattern must not be empty');
  if (source.length > MAX_PATTERN_LENGTH) {
    return refuse(`pattern must be at most ${MAX_PATTERN_LENGTH} characters`);
  }
  if (!source.startsWith('^') || !endsWithUnescapedDollar(source)) {
    return refuse('pattern must be anchored: start with ^ and end with $');
  }
  const syntaxProblem = findUnsupportedSyntax(source);
  if (syntaxProblem !== null) return refuse(syntaxProblem);
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (error) {
    return refuse(`pattern is not a valid regular expression: ${(error as Error).message}`);
  }
  // The backtracking check comes first: running an unchecked pattern, even on the short canary
  // origins, can take seconds (^https?://(?:(?:[a-z]|[a-z-])+)+x$ takes about 14 s on one).
  const backtracking = checkBacktracking(source);
  if (backtracking !== null) return refuse(backtracking);
  const canary = CANARY_ORIGINS.find((origin) => regex.test(origin));
  if (canary !== undefined) {
    return refuse(`pattern matches unrelated origins such as ${canary}; use * to allow any origin`);
  }
  return { ok: true, source };
}

function checkBacktracking(source: string): string | null {
  // redos-detector's parser predates named groups; without backreferences a named group
  // backtracks exactly like a plain one, so it is analysed as one.
  const analysed = source.replace(/(?<!\\)\(\?<([A-Za-z_$][\w$]*)>/g, '(');
  try {
    const result = isSafePattern(analysed, {
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

/**
 * One pass over the pattern outside character classes: refuses backreferences, lookaround,
 * top-level alternation (`^a|b$` is not anchored at both ends) and upper-case literals (they
 * can never match a lower-cased origin).
 */
function findUnsupportedSyntax(source: string): string | null {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) {
        return 'pattern must not use backreferences';
      }
      // Skip the escaped character and the hex digits of \xHH and \uHHHH.
      i += next === 'x' ? 3 : next === 'u' ? 5 : next === 'c' ? 2 : 1;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      if (/^\(\?(?:=|!|<=|<!)/.test(source.slice(i, i + 4))) {
        return 'pattern must not use lookahead or lookbehind';
      }
      if (source.startsWith('(?<', i)) {
        const close = source.indexOf('>', i);
        if (close !== -1) i = close; // a group name may contain upper case
      }
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === '|' && depth === 0) {
      return 'pattern must not have a top-level alternation; group it: ^(?:a|b)$';
    } else if (c >= 'A' && c <= 'Z') {
      return 'pattern must be lower-case: it is matched against the normalised, lower-case origin';
    }
  }
  return null;
}

function refuse(reason: string): OriginPatternResult {
  return { ok: false, reason };
}
