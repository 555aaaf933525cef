import fc from 'fast-check';
import {
  anchoredRegexSource,
  backtrackingSource,
  pumpedOrigin,
  regexSource,
  SAMPLE_ALPHABET,
} from '../../../../test/arbitraries/regex.arbitraries.js';
import { compileLinearPattern } from './linear-pattern.js';

/** The refusals the scanner may give a pattern JavaScript accepts: each one on purpose. */
const DELIBERATE_REFUSALS =
  /backreferences|lookahead|modifiers|repetition counts|must be ASCII|matches no character|too large/;

function isValidJavaScript(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** Strings JavaScript says match (when fast-check can generate them), and random ones. */
function samplesFor(source: string, seed: number): string[] {
  const random = fc.sample(fc.string({ unit: fc.constantFrom(...SAMPLE_ALPHABET), maxLength: 12 }), { seed, numRuns: 30 });
  let matching: string[] = [];
  try {
    // Short ones only: JavaScript's own engine backtracks, and on a catastrophic pattern a long
    // sample would take it minutes (this comparison once hung the suite).
    matching = fc
      .sample(fc.stringMatching(new RegExp(source)), { seed, numRuns: 30 })
      .filter((sample) => sample.length <= 16);
  } catch {
    // fast-check's generator does not know every construct (Annex B, \c): random samples only.
  }
  return [...random, ...matching];
}

describe(compileLinearPattern.name, () => {
  describe('properties', () => {
    it('reads every pattern as JavaScript does: same answers on sampled strings (issue 19)', () => {
      let compared = 0;
      let matched = 0;
      fc.assert(
        fc.property(fc.oneof(regexSource, anchoredRegexSource), fc.integer(), (source, seed) => {
          fc.pre(isValidJavaScript(source));
          const compiled = compileLinearPattern(source);
          if (!compiled.ok) {
            expect(compiled.reason).toMatch(DELIBERATE_REFUSALS);
            return;
          }
          const javascript = new RegExp(source);
          for (const sample of samplesFor(source, seed)) {
            compared++;
            const expected = javascript.test(sample);
            if (expected) matched++;
            expect([sample, compiled.pattern.test(sample)]).toEqual([sample, expected]);
          }
        }),
        { numRuns: 200 },
      );
      // The comparison means something only if both answers were seen often.
      expect(matched).toBeGreaterThan(compared / 20);
      expect(compared - matched).toBeGreaterThan(compared / 20);
    });

    it('matches any pattern it compiles in linear time: 10,000-character origins within a second', () => {
      let raced = 0;
      fc.assert(
        fc.property(backtrackingSource, fc.array(pumpedOrigin, { minLength: 1, maxLength: 4 }), (source, origins) => {
          const compiled = compileLinearPattern(source);
          fc.pre(compiled.ok);
          if (!compiled.ok) return;
          for (const origin of origins) {
            const started = performance.now();
            compiled.pattern.test(origin);
            raced++;
            // A deadline, not a benchmark: a backtracking engine takes years on these.
            expect(performance.now() - started).toBeLessThan(1000);
          }
        }),
        { numRuns: 150 },
      );
      expect(raced).toBeGreaterThan(100);
    });
  });

  it('matches the issue 19 reproduction in linear time, and still matches what it says', () => {
    const compiled = compileLinearPattern('^https://(?:[(?<a>]|a)+\\.x$');
    if (!compiled.ok) throw new Error(compiled.reason);

    const started = performance.now();
    expect(compiled.pattern.test(`https://${'a'.repeat(10_000)}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(compiled.pattern.test('https://a(<?>a.x')).toBe(true);
    expect(compiled.pattern.test('https://ab.x')).toBe(false);
  });

  it.each([
    ['^a\\1(b)$', 'backreferences'],
    ['^(?=a)a$', 'lookahead'],
    ['^a{1001}$', 'repetition counts'],
    ['^é$', 'must be ASCII'],
    ['^[]a$', 'matches no character'],
    ['^(?:a{1000}){1000}$', 'too large'],
    ['^a{2,1}$', 'not a valid regular expression'],
  ])('refuses %s: %s', (source, reason) => {
    const compiled = compileLinearPattern(source);
    expect(compiled.ok).toBe(false);
    expect(!compiled.ok && compiled.reason).toContain(reason);
  });
});
