import type { AsciiSet, RegexNode } from './regex-syntax.js';

/**
 * The host every origin a pattern matches ends in, read from the pattern's literal tail:
 * `^https://[a-z]+\.example\.com(?::[0-9]+)?$` → `example.com`, `exact: false` (the host is
 * it or ends in `.example.com`); `^https?://app\.example\.com$` → `app.example.com`,
 * `exact: true`. A request origin is matched only once parsed (scheme, LDH host, digits
 * port), so a match that ends in `.example.com` with at most a port after it has a host in
 * example.com.
 */
export interface PatternHost {
  readonly host: string;
  readonly exact: boolean;
}

const DIGITS_AND_COLON = codes('0123456789:');
const COLON = codes(':');
const DOT_OR_SLASH = codes('./');
const LDH_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;

/** @returns the host of the pattern's literal tail, or undefined when it has none. */
export function patternHost(tree: RegexNode): PatternHost | undefined {
  const items = flatten(tree);
  if (items === undefined || items.length === 0) return undefined;
  const end = items[items.length - 1]!;
  if (end.type !== 'assertion' || end.kind !== 'end') return undefined;
  const beforePort = portStart(items, items.length - 1);
  let tailStart = beforePort;
  let tail = '';
  while (tailStart > 0) {
    const char = literalChar(items[tailStart - 1]!);
    if (char === undefined) break;
    tail = char + tail;
    tailStart--;
  }
  const scheme = tail.lastIndexOf('://');
  if (scheme !== -1) return validHost(tail.slice(scheme + 3), true);
  if (tail.startsWith('.')) return validHost(tail.slice(1), false);
  // `…(?:[a-z]+\.)?example\.com$`: the tail follows a label boundary whatever came before.
  const before = lastChars(items.slice(0, tailStart));
  return isSubset(before, DOT_OR_SLASH) ? validHost(tail, false) : undefined;
}

function validHost(host: string, exact: boolean): PatternHost | undefined {
  return LDH_HOST.test(host) ? { host, exact } : undefined;
}

/** The top-level items, with groups of one alternative spread into their parent sequence. */
function flatten(node: RegexNode): RegexNode[] | undefined {
  if (node.type === 'alternation') return undefined;
  if (node.type !== 'sequence') return [node];
  return node.items.flatMap((item) =>
    item.type === 'sequence' ? (flatten(item) ?? []) : [item],
  );
}

/**
 * Where the port part before `items[end]` starts: the longest run of items matching only
 * digits and colons whose every non-empty match starts with a colon (`:8443`,
 * `(?::[0-9]+)?`); `end` when there is none.
 */
function portStart(items: readonly RegexNode[], end: number): number {
  let start = end;
  while (start > 0 && isSubset(allChars(items[start - 1]!), DIGITS_AND_COLON)) start--;
  for (; start < end; start++) {
    if (isSubset(firstChars(items.slice(start, end)), COLON)) return start;
  }
  return end;
}

function literalChar(node: RegexNode): string | undefined {
  if (node.type !== 'chars') return undefined;
  const members = node.set.flatMap((member, code) => (member ? [code] : []));
  return members.length === 1 ? String.fromCharCode(members[0]!) : undefined;
}

function nullable(node: RegexNode): boolean {
  switch (node.type) {
    case 'chars':
      return false;
    case 'sequence':
      return node.items.every(nullable);
    case 'alternation':
      return node.options.some(nullable);
    case 'repeat':
      return node.min === 0 || nullable(node.node);
    case 'assertion':
      return true;
  }
}

/** The characters a match of the items can start with. */
function firstChars(items: readonly RegexNode[]): AsciiSet {
  let set = empty();
  for (const item of items) {
    set = union(set, first(item));
    if (!nullable(item)) break;
  }
  return set;
}

/** The characters a match of the items can end with. */
function lastChars(items: readonly RegexNode[]): AsciiSet {
  let set = empty();
  for (let i = items.length - 1; i >= 0; i--) {
    set = union(set, last(items[i]!));
    if (!nullable(items[i]!)) break;
  }
  return set;
}

function first(node: RegexNode): AsciiSet {
  return edge(node, firstChars, first);
}

function last(node: RegexNode): AsciiSet {
  return edge(node, lastChars, last);
}

function edge(
  node: RegexNode,
  ofItems: (items: readonly RegexNode[]) => AsciiSet,
  ofNode: (node: RegexNode) => AsciiSet,
): AsciiSet {
  switch (node.type) {
    case 'chars':
      return node.set;
    case 'sequence':
      return ofItems(node.items);
    case 'alternation':
      return node.options.map(ofNode).reduce(union, empty());
    case 'repeat':
      return node.max === 0 ? empty() : ofNode(node.node);
    case 'assertion':
      return empty();
  }
}

function allChars(node: RegexNode): AsciiSet {
  switch (node.type) {
    case 'chars':
      return node.set;
    case 'sequence':
      return node.items.map(allChars).reduce(union, empty());
    case 'alternation':
      return node.options.map(allChars).reduce(union, empty());
    case 'repeat':
      return allChars(node.node);
    case 'assertion':
      // An assertion in the port part is not a port: stop the run there.
      return codes('^');
  }
}

function codes(chars: string): AsciiSet {
  return Array.from({ length: 128 }, (_, c) => chars.includes(String.fromCharCode(c)));
}

function empty(): AsciiSet {
  return codes('');
}

function union(a: AsciiSet, b: AsciiSet): AsciiSet {
  return a.map((member, c) => member || b[c] === true);
}

function isSubset(a: AsciiSet, b: AsciiSet): boolean {
  return a.every((member, c) => !member || b[c] === true);
}
