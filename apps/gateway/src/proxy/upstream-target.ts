/** Where a proxied request goes, or why it may not go anywhere. */
export type UpstreamTarget = { readonly url: string; readonly query: string } | { readonly refused: string };

/**
 * The upstream URL of a tenant request, only if it stays under the upstream's base path
 * (issue 19, item 2). `@fastify/reply-from` only looks for `/..` and `../`, while WHATWG URL
 * parsing (which undici applies) reads `\` as `/` and `.%2e` as `..`: so the path must be
 * origin-form (`/...`, not `http://other/...`), and neither its raw form nor its decoded
 * segments may hold a `\` or a dot segment. Encoded slashes are allowed (some APIs carry ids
 * such as `group%2Fproject`), their decoded segments are checked too. The URL built from it is
 * finally checked to be under the base, whatever the parser did. The query is kept apart, as
 * sent: it is not a path, whatever it holds.
 */
export function upstreamTargetOf(upstreamUrl: string, path: string): UpstreamTarget {
  if (path.charCodeAt(0) !== 47 /* / */ || path.charCodeAt(1) === 47) return { refused: 'the request target must be a path (origin-form)' };
  const queryAt = path.indexOf('?');
  const pathname = queryAt === -1 ? path : path.slice(0, queryAt);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { refused: 'the path has a malformed percent-encoding' };
  }
  if (pathname.includes('\\') || decoded.includes('\\')) return { refused: 'the path may not contain a backslash' };
  if (hasDotSegment(decoded)) return { refused: 'the path may not contain . or .. segments' };

  const base = new URL(upstreamUrl);
  const basePath = base.pathname.endsWith('/') ? base.pathname.slice(0, -1) : base.pathname;
  const target = new URL(basePath + pathname, base.origin);
  const underBase = target.pathname === basePath || target.pathname.startsWith(basePath + '/') || (basePath === '' && target.pathname === '/');
  if (target.origin !== base.origin || !underBase) return { refused: "the path leaves the upstream's base path" };
  return { url: target.href, query: queryAt === -1 ? '' : path.slice(queryAt + 1) };
}

function hasDotSegment(path: string): boolean {
  for (const segment of path.split('/')) if (segment === '.' || segment === '..') return true;
  return false;
}
