/**
 * How a request path is normalised before path rules match it (README "Path rules"), so that
 * a percent-encoded or dot-segment spelling of a path meets the same rule as the plain one:
 *
 * 1. the path ends at `?` or `#` (the query is not matched);
 * 2. `\` is a `/`, as the WHATWG URL parser reads it for http(s) URLs;
 * 3. `%XX` of an unreserved character (letters, digits, `-` `.` `_` `~`) is decoded, once;
 *    every other valid `%XX` is kept, its hex upper-cased (so `%2F` stays inside its segment);
 * 4. empty segments (`//`) and `.` segments are dropped, `..` removes the segment before it
 *    (never above the root), as RFC 3986 §5.2.4 resolves them;
 * 5. a trailing `/` is dropped (`/users/` is `/users`); case is kept (paths are case-sensitive).
 *
 * Written by hand rather than with `new URL()`: the URL parser keeps `%2e%2e` segments and
 * `//`, and allocates a whole URL per request; the common path needs no copy at all.
 */

/**
 * Where the path of `url` that starts at `from` ends, when it is already normalised:
 * the index after its last segment (trailing `/` excluded; `from` itself for the root).
 * -1 when it needs {@link normaliseRequestPath}. Allocates nothing.
 */
export function normalisedPathEnd(url: string, from: number): number {
  const length = url.length;
  if (from >= length) return from;
  let code = url.charCodeAt(from);
  if (code === 63 /* ? */ || code === 35 /* # */) return from;
  if (code !== 47 /* / */) return -1;
  let segment = from + 1;
  let index = segment;
  for (; index < length; index++) {
    code = url.charCodeAt(index);
    if (code === 63 || code === 35) break;
    if (code === 37 /* % */ || code === 92 /* \ */) return -1;
    if (code === 47) {
      if (index === segment || isDotSegment(url, segment, index)) return -1;
      segment = index + 1;
    }
  }
  if (index === segment) return index === from + 1 ? from : index - 1;
  return isDotSegment(url, segment, index) ? -1 : index;
}

/**
 * The normalised path (see the module comment) of `url` from `from`: `''` for the root,
 * otherwise `/segment/segment…`. Used only when {@link normalisedPathEnd} says it must be.
 */
export function normaliseRequestPath(url: string, from: number): string {
  let end = from;
  while (end < url.length && url[end] !== "?" && url[end] !== "#") end++;
  const segments: string[] = [];
  for (const raw of url.slice(from, end).split(/[/\\]/)) {
    const segment = decodeUnreserved(raw);
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return segments.length === 0 ? "" : `/${segments.join("/")}`;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Decodes `%XX` of unreserved characters; upper-cases the hex of the others; leaves a stray `%`. */
export function decodeUnreserved(segment: string): string {
  if (!segment.includes("%")) return segment;
  return segment.replace(/%([0-9A-Fa-f]{2})/g, (_triplet, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

function isDotSegment(url: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 1) return url.charCodeAt(start) === 46;
  return (
    length === 2 &&
    url.charCodeAt(start) === 46 &&
    url.charCodeAt(start + 1) === 46
  );
}
