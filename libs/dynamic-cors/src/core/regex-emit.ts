import type { AsciiSet, RegexNode } from './regex-syntax.js';

/** The two dialects a scanned pattern is written out in. */
export type RegexDialect = 'javascript' | 're2';

/**
 * Writes a scanned pattern out in canonical form: non-capturing groups only, every character
 * as a hex escape, every class as its ASCII ranges. The JavaScript form is what the
 * backtracking analysis reads; the RE2 form is what the linear-time matcher runs. Both mean
 * what the tree means, so they agree with each other and with the source.
 */
export function emitPattern(node: RegexNode, dialect: RegexDialect): string {
  switch (node.type) {
    case 'chars':
      return emitSet(node.set, dialect);
    case 'sequence':
      // Concatenation is associative: a nested sequence needs no group of its own.
      return node.items.map((item) => emitPattern(item, dialect)).join('');
    case 'alternation':
      return `(?:${node.options.map((option) => emitPattern(option, dialect)).join('|')})`;
    case 'repeat': {
      const inner = emitPattern(node.node, dialect);
      const atom = node.node.type === 'chars' || node.node.type === 'alternation' ? inner : `(?:${inner})`;
      return `${atom}${quantifier(node.min, node.max)}${node.greedy ? '' : '?'}`;
    }
    case 'assertion':
      switch (node.kind) {
        case 'start':
          return '^';
        case 'end':
          return '$';
        case 'word':
          return '\\b';
        case 'not-word':
          return '\\B';
      }
  }
}

function quantifier(min: number, max: number): string {
  if (min === 0 && max === Infinity) return '*';
  if (min === 1 && max === Infinity) return '+';
  if (min === 0 && max === 1) return '?';
  if (max === Infinity) return `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

function emitSet(set: AsciiSet, dialect: RegexDialect): string {
  const ranges: [number, number][] = [];
  for (let c = 0; c < 128; c++) {
    if (!set[c]) continue;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === c - 1) last[1] = c;
    else ranges.push([c, c]);
  }
  const first = ranges[0];
  if (ranges.length === 1 && first !== undefined && first[0] === first[1]) return hex(first[0], dialect);
  const body = ranges
    .map(([from, to]) => (from === to ? hex(from, dialect) : `${hex(from, dialect)}-${hex(to, dialect)}`))
    .join('');
  return `[${body}]`;
}

function hex(code: number, dialect: RegexDialect): string {
  const digits = code.toString(16).padStart(2, '0');
  return dialect === 're2' ? `\\x{${digits}}` : `\\x${digits}`;
}
