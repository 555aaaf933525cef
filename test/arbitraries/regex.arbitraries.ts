import fc from 'fast-check';

/**
 * fast-check arbitraries of regular-expression sources in JavaScript's syntax without flags,
 * Annex B included, aimed at the places where a scanner can read a pattern differently from
 * JavaScript (issue 19): group syntax inside classes, escapes, `]` and `{` as literals, named
 * groups, nested quantifiers. Shared by the core's property tests and reliability/fuzz.ts.
 * Many generated sources are invalid; callers keep those `new RegExp` accepts.
 */

/** Characters the samples are made of: the patterns' own, plus an origin's. */
export const SAMPLE_ALPHABET = [...'abcx019.-:/_(?<>)[]{}|\\^$*+ \nAZ'];

const classItem = fc.constantFrom(
  'a',
  'x',
  '0-9',
  'a-f',
  '(',
  '?',
  '<',
  '>',
  '(?<a>',
  ')',
  '|',
  '{',
  '$',
  '^',
  '.',
  '-',
  '\\]',
  '\\\\',
  '\\d',
  '\\w',
  '\\s',
  '\\W',
  '\\b',
  '\\-',
  '\\x61',
  '\\u0078',
  '\\c',
  '\\cJ',
  '[',
  '/',
);
const characterClass = fc
  .tuple(fc.boolean(), fc.array(classItem, { minLength: 0, maxLength: 4 }))
  .map(([negate, items]) => `[${negate ? '^' : ''}${items.join('')}]`);

const atom = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'x', '0', '1', '-', ':', '/', '_', ']', '}', '{', '<', '>') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\\.',
      '\\d',
      '\\w',
      '\\s',
      '\\D',
      '\\W',
      '\\x61',
      '\\u0062',
      '\\-',
      '\\/',
      '\\(',
      '\\[',
      '\\cJ',
      '\\c1',
      '\\0',
      '\\k',
      '.',
    ),
  },
  { weight: 4, arbitrary: characterClass },
);
const quantifier = fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{1,}', '{0,3}', '{1', '{,2}', '*?', '+?', '??', '{1,2}?');
const assertion = fc.constantFrom('^', '$', '\\b', '\\B');

/** A regex source built from atoms, classes, groups (plain, named, capturing) and quantifiers. */
export const regexSource: fc.Arbitrary<string> = fc.letrec<{ term: string; sequence: string }>((tie) => ({
  term: fc.oneof(
    { weight: 6, arbitrary: fc.tuple(atom, quantifier).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: assertion },
    {
      weight: 2,
      depthSize: 'small',
      arbitrary: fc
        .tuple(
          fc.constantFrom('(?:', '(', '(?<n>', '(?<grp1>'),
          fc.array(tie('sequence'), { minLength: 1, maxLength: 3 }),
          quantifier,
        )
        .map(([open, options, q]) => `${open}${options.join('|')})${q}`),
    },
  ),
  sequence: fc.array(tie('term'), { minLength: 0, maxLength: 5 }).map((terms) => terms.join('')),
})).sequence;

/** A source anchored like an origin rule, sometimes behind an origin-like prefix. */
export const anchoredRegexSource = fc
  .tuple(fc.constantFrom('', 'https://', 'https?://'), regexSource, fc.constantFrom('', '\\.x', '\\.example\\.com'))
  .map(([prefix, body, tail]) => `^${prefix}${body}${tail}$`);

/** Patterns built from the constructs that backtrack: nested, adjacent, overlapping. */
const backtrackingPiece: fc.Memo<string> = fc.memo((depth) => {
  const leaf = fc
    .tuple(
      fc.constantFrom('a', '[a-z]', '\\w', '.', '(?:a|a)', '(?:a|ab)', '[(?<a>]|a', '[^.]', '\\d', '-'),
      fc.constantFrom('', '+', '*', '?', '{1,3}', '{2,}'),
    )
    .map(([a, q]) => (a.includes('|') && !a.startsWith('(') ? `(?:${a})${q}` : a + q));
  return depth <= 1
    ? leaf
    : fc.oneof(
        leaf,
        fc
          .tuple(fc.array(backtrackingPiece(depth - 1), { minLength: 1, maxLength: 3 }), fc.constantFrom('+', '*', '{1,5}'))
          .map(([parts, q]) => `(?:${parts.join('')})${q}`),
        fc
          .tuple(backtrackingPiece(depth - 1), backtrackingPiece(depth - 1), fc.constantFrom('+', '*'))
          .map(([x, y, q]) => `(?:${x}|${y})${q}`),
      );
});
export const backtrackingSource = fc
  .tuple(fc.array(backtrackingPiece(3), { minLength: 1, maxLength: 3 }), fc.constantFrom('\\.x', '\\.example\\.com', 'b', ''))
  .map(([parts, tail]) => `^https://${parts.join('')}${tail}$`);

/** Inputs that make backtracking engines explode: long runs and a failing last character. */
export const pumpedOrigin = fc
  .tuple(
    fc.constantFrom('a', 'ab', 'a.', 'a-', '1', '('),
    fc.integer({ min: 1_000, max: 10_000 }),
    fc.constantFrom('!', '.x!', '.example.co', '', '.'),
  )
  .map(([unit, n, end]) => `https://${unit.repeat(Math.ceil(n / unit.length)).slice(0, n)}${end}`);
