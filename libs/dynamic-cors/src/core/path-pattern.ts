import { decodeUnreserved } from './request-path.js';

/** Longest accepted path pattern. */
export const MAX_PATH_PATTERN_LENGTH = 1024;

/**
 * A path rule's pattern, compiled: its segments (`*` matches any one segment) and whether a
 * trailing `/**` lets it match any rest, the bare prefix included (`/public/**` matches
 * `/public`).
 */
export interface PathPattern {
  /** The pattern, normalised as request paths are (`/` for the root). */
  readonly path: string;
  readonly segments: readonly string[];
  readonly rest: boolean;
}

export type PathPatternResult =
  { readonly ok: true; readonly pattern: PathPattern } | { readonly ok: false; readonly reason: string };

// RFC 3986 pchar, with `%` checked separately and `*` taken as the wildcard.
const PCHAR = /^[A-Za-z0-9\-._~!$&'()+,;=:@%]*$/;

/**
 * Parses a path pattern: `/literal/path`, `*` for one whole segment (`/v1/*\/files`), a
 * trailing `/**` for any rest. Literal segments are normalised as request paths are (see
 * `request-path.ts`), so a pattern and a path that mean the same compare equal.
 */
export function parsePathPattern(input: unknown): PathPatternResult {
  if (typeof input !== 'string') return { ok: false, reason: 'must be a string' };
  if (input.length > MAX_PATH_PATTERN_LENGTH)
    return {
      ok: false,
      reason: `must be at most ${MAX_PATH_PATTERN_LENGTH} characters`,
    };
  if (!input.startsWith('/')) return { ok: false, reason: 'must start with /' };
  if (/[?#]/.test(input))
    return {
      ok: false,
      reason: 'must not contain a query or fragment (? or #)',
    };
  const raw = input.split('/').slice(1);
  // `/a/` is `/a`, as for request paths; `/` alone is the root.
  if (raw.at(-1) === '') raw.pop();
  const segments: string[] = [];
  let rest = false;
  for (const [index, segment] of raw.entries()) {
    if (segment === '') return { ok: false, reason: 'must not contain an empty segment (//)' };
    if (segment === '**') {
      if (index !== raw.length - 1) return { ok: false, reason: '** is allowed only as the last segment' };
      rest = true;
      continue;
    }
    if (segment === '*') {
      segments.push('*');
      continue;
    }
    if (segment.includes('*')) return { ok: false, reason: '* must be a whole segment (/v1/*/files)' };
    if (!PCHAR.test(segment))
      return {
        ok: false,
        reason: 'contains a character a path cannot hold unencoded (percent-encode it)',
      };
    if (/%(?![0-9A-Fa-f]{2})/.test(segment)) return { ok: false, reason: 'contains a % that is not a %XX escape' };
    const literal = decodeUnreserved(segment);
    if (literal === '.' || literal === '..') return { ok: false, reason: 'must not contain . or .. segments' };
    segments.push(literal);
  }
  const path = `/${[...segments, ...(rest ? ['**'] : [])].join('/')}`;
  return {
    ok: true,
    pattern: Object.freeze({ path, segments: Object.freeze(segments), rest }),
  };
}

/**
 * Whether `pattern` matches the normalised path `path[start, end)` (`start === end` for the
 * root; otherwise `/segment…` with no empty or dot segment and no trailing `/`). Allocates
 * nothing: segments are compared in place.
 */
export function matchesPath(pattern: PathPattern, path: string, start: number, end: number): boolean {
  let position = start;
  const segments = pattern.segments;
  // Indexed, not for-of: iterating a frozen array allocates an iterator each time in V8.
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    if (position >= end) return false;
    const from = position + 1;
    let to = path.indexOf('/', from);
    if (to === -1 || to > end) to = end;
    if (segment !== '*' && (to - from !== segment.length || !path.startsWith(segment, from))) return false;
    position = to;
  }
  return pattern.rest || position >= end;
}
