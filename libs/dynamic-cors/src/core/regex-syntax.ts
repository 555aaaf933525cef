import { RegExpParser, type AST } from '@eslint-community/regexpp';

/**
 * The syntax tree of a regex origin rule as JavaScript reads it (no flags, Annex B syntax), in
 * a form both of its consumers understand: the backtracking analysis (redos-detector) and the
 * linear-time matcher (RE2). Both are given a canonical pattern emitted from this tree, never
 * the administrator's source, so neither can read the source differently from JavaScript
 * (issue 19: `[(?<a>]` was a character class to JavaScript and a named group to a rewrite).
 *
 * Characters are sets over ASCII: a request origin is matched only once parsed, and a parsed
 * origin is ASCII (IDN hosts in punycode), so what a set does beyond ASCII can never matter.
 */
export type RegexNode =
  | { readonly type: 'chars'; readonly set: AsciiSet; readonly literal: boolean }
  | { readonly type: 'sequence'; readonly items: readonly RegexNode[] }
  | { readonly type: 'alternation'; readonly options: readonly RegexNode[] }
  | {
      readonly type: 'repeat';
      readonly node: RegexNode;
      readonly min: number;
      readonly max: number;
      readonly greedy: boolean;
    }
  | { readonly type: 'assertion'; readonly kind: 'start' | 'end' | 'word' | 'not-word' };

/** Which of the 128 ASCII characters a set holds, by code. */
export type AsciiSet = readonly boolean[];

/** Largest repetition count accepted: RE2's own limit. */
export const MAX_REPEAT = 1000;

/** The outcome of {@link scanPattern}. */
export type ScanResult =
  | { readonly ok: true; readonly tree: RegexNode; readonly topLevelOptions: number }
  | { readonly ok: false; readonly reason: string };

const parser = new RegExpParser({ ecmaVersion: 2025, strict: false });

/**
 * Parses a pattern as `new RegExp(source)` does, with `@eslint-community/regexpp` (the parser
 * ESLint's regex rules use; a hand-written scanner is what failed before), and refuses what
 * an origin rule may not use: backreferences, lookaround, modifiers, repetition counts above
 * {@link MAX_REPEAT}, non-ASCII literals and sets that hold no ASCII character.
 */
export function scanPattern(source: string): ScanResult {
  let pattern: AST.Pattern;
  try {
    pattern = parser.parsePattern(source, 0, source.length, { unicode: false, unicodeSets: false });
  } catch (error) {
    return { ok: false, reason: `pattern is not a valid regular expression: ${(error as Error).message}` };
  }
  try {
    return {
      ok: true,
      tree: convertAlternatives(pattern.alternatives),
      topLevelOptions: pattern.alternatives.length,
    };
  } catch (error) {
    if (error instanceof UnsupportedSyntax) return { ok: false, reason: error.message };
    throw error;
  }
}

class UnsupportedSyntax extends Error {}

function unsupported(reason: string): never {
  throw new UnsupportedSyntax(reason);
}

function convertAlternatives(alternatives: readonly AST.Alternative[]): RegexNode {
  const options = alternatives.map(
    (alternative): RegexNode => ({ type: 'sequence', items: alternative.elements.map(convert) }),
  );
  return options.length === 1 ? options[0]! : { type: 'alternation', options };
}

function convert(element: AST.Element): RegexNode {
  switch (element.type) {
    case 'Character':
      if (element.value > 0x7f) {
        unsupported(
          `pattern must be ASCII: origins are matched with IDN hosts in punycode (xn--…), not ${element.raw}`,
        );
      }
      return { type: 'chars', set: single(element.value), literal: true };
    case 'CharacterClass':
    case 'CharacterSet':
    case 'ExpressionCharacterClass':
      return { type: 'chars', set: setOf(element.raw), literal: false };
    case 'Group':
      if (element.modifiers !== null) unsupported('pattern must not use modifiers such as (?i:…)');
      return convertAlternatives(element.alternatives);
    case 'CapturingGroup':
      // Without backreferences a group, named or not, matches exactly what (?:…) matches.
      return convertAlternatives(element.alternatives);
    case 'Quantifier': {
      const max = element.max === Infinity ? Infinity : element.max;
      if (element.min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
        unsupported(`pattern repetition counts must be at most ${MAX_REPEAT}`);
      }
      return {
        type: 'repeat',
        node: convert(element.element),
        min: element.min,
        max,
        greedy: element.greedy,
      };
    }
    case 'Assertion':
      switch (element.kind) {
        case 'start':
          return { type: 'assertion', kind: 'start' };
        case 'end':
          return { type: 'assertion', kind: 'end' };
        case 'word':
          return { type: 'assertion', kind: element.negate ? 'not-word' : 'word' };
        case 'lookahead':
        case 'lookbehind':
          return unsupported('pattern must not use lookahead or lookbehind');
      }
      break;
    case 'Backreference':
      return unsupported('pattern must not use backreferences');
  }
  return unsupported(`pattern uses unsupported syntax: ${(element as AST.Node).raw}`);
}

const SINGLES: readonly AsciiSet[] = Array.from({ length: 128 }, (_, code) =>
  Object.freeze(Array.from({ length: 128 }, (_, c) => c === code)),
);

function single(code: number): AsciiSet {
  return SINGLES[code]!;
}

// Classes recur across patterns (`[a-z0-9-]`, `\d`): each is asked of JavaScript once. Bounded,
// as patterns come from administrators: when full it starts over.
const MAX_REMEMBERED_CLASSES = 256;
const classSets = new Map<string, AsciiSet>();

/**
 * The ASCII members of a character class or escape, asked of JavaScript's own engine: the
 * meaning of a class (`[^\W\d]`, `[\b]`, Annex B's `[\c]`) is then JavaScript's by
 * construction. A class means the same wherever it stands in a pattern without flags.
 */
function setOf(raw: string): AsciiSet {
  let set = classSets.get(raw);
  if (set === undefined) {
    const regex = new RegExp(`^${raw}$`);
    set = Object.freeze(Array.from({ length: 128 }, (_, c) => regex.test(String.fromCharCode(c))));
    if (classSets.size >= MAX_REMEMBERED_CLASSES) classSets.clear();
    classSets.set(raw, set);
  }
  if (!set.includes(true)) unsupported(`pattern character class ${raw} matches no character an origin can contain`);
  return set;
}
