import { RE2JS } from 're2js';
import { emitPattern } from './regex-emit.js';
import { scanPattern, type RegexNode } from './regex-syntax.js';

/** A regex origin rule compiled for matching in time linear in the origin's length. */
export interface LinearPattern {
  test(origin: string): boolean;
}

/** The outcome of {@link compileLinearPattern}. */
export type LinearPatternResult =
  | { readonly ok: true; readonly pattern: LinearPattern; readonly tree: RegexNode; readonly topLevelOptions: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Compiles a pattern for RE2JS (a pure-JavaScript port of RE2: automata, no backtracking), the
 * second line of defence behind the backtracking analysis: whatever that analysis misses, no
 * accepted or stored pattern can make a match super-linear (SPEC "Security contract"). A
 * native RE2 would need a compiler toolchain and a download at install; RE2JS needs neither.
 *
 * RE2 reads a syntax close to JavaScript's but not the same, so it is given the canonical
 * pattern emitted from JavaScript's own reading of the source (see {@link scanPattern}).
 */
export function compileLinearPattern(source: string): LinearPatternResult {
  try {
    // JavaScript's reading is the reference: a pattern it refuses is refused, whatever RE2 says.
    new RegExp(source);
  } catch (error) {
    return { ok: false, reason: `pattern is not a valid regular expression: ${(error as Error).message}` };
  }
  const scan = scanPattern(source);
  if (!scan.ok) return scan;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(emitPattern(scan.tree, 're2'));
  } catch (error) {
    // Nested repetitions can exceed RE2's program size limit (`(?:a{1000}){1000}`).
    return { ok: false, reason: `pattern is too large for the linear-time matcher: ${(error as Error).message}` };
  }
  return { ok: true, pattern: compiled, tree: scan.tree, topLevelOptions: scan.topLevelOptions };
}
