import type { IncomingHttpHeaders } from 'node:http';

/**
 * Path-routed tenants (`/t/<slug>/`) share the gateway's browser origin (issue 19, item 3).
 * What keeps them apart on that origin:
 *
 * - Every response carries `Content-Security-Policy: sandbox`: a document from a tenant's
 *   upstream (HTML, SVG, XML, or anything a browser sniffs into one) gets an opaque origin and
 *   runs no script, so it can neither read another tenant's responses as same-origin nor
 *   touch the origin's cookies or storage. Applied to every content type, because a content
 *   type is the upstream's claim and browsers sniff; CSP is ignored on responses that are not
 *   documents (fetched JSON, images, scripts), so it costs them nothing.
 * - The upstream's cookies are confined to the tenant: `Set-Cookie` loses `Domain`, gets
 *   `Path=/t/<slug>/...`, and is stored under `t.<slug>.<name>`. The browser sends a request
 *   every cookie of the origin whose path matches (a `Path=/` cookie of anyone reaches every
 *   tenant), and the Cookie header does not say which path a cookie had; the name does. So a
 *   request forwards only the cookies named for its own tenant, under their original names,
 *   and drops all others. The upstream never sees the renaming (its pages cannot read cookies:
 *   they are sandboxed).
 *
 * Per-tenant hostnames (`hostnames`, `BASE_DOMAIN`) give each tenant its own origin and need
 * none of this; they are the recommended production setup (README "Security model").
 */
export const PATH_TENANT_CSP = 'sandbox';

function cookiePrefix(slug: string): string {
  return `t.${slug}.`;
}

/** The request's Cookie header as the tenant's upstream may see it: only its own cookies, renamed back. */
export function tenantCookies(cookie: string | undefined, slug: string): string | undefined {
  if (!cookie) return undefined;
  const prefix = cookiePrefix(slug);
  const own = cookie
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(prefix))
    .map((pair) => pair.slice(prefix.length));
  return own.length ? own.join('; ') : undefined;
}

/**
 * One upstream `Set-Cookie` confined to the tenant. Hand-written: the cookie libraries parse
 * into objects and serialise back only the attributes they know, which would drop or reorder
 * attributes (`Partitioned`, `Priority`) the upstream meant; this keeps every attribute but
 * `Domain` and `Path`.
 */
export function confinedSetCookie(setCookie: string, slug: string): string {
  const [pair = '', ...attributes] = setCookie.split(';');
  let path = '/';
  const kept: string[] = [];
  for (const attribute of attributes) {
    const name = attribute.trim().split('=', 1)[0]!.toLowerCase();
    if (name === 'domain') continue;
    if (name === 'path') {
      const value = attribute.slice(attribute.indexOf('=') + 1).trim();
      if (value.startsWith('/')) path = value;
      continue;
    }
    kept.push(attribute.trim());
  }
  const tenantPath = `/t/${slug}${path}`;
  return [`${cookiePrefix(slug)}${pair.trim()}`, `Path=${tenantPath}`, ...kept].join('; ');
}

/** The upstream's response headers with the path-tenant confinement applied. */
export function confinedResponseHeaders(headers: IncomingHttpHeaders, slug: string): IncomingHttpHeaders {
  // undici gives one Set-Cookie as a string, several as an array.
  const setCookie = headers['set-cookie'] as string | string[] | undefined;
  const csp = headers['content-security-policy'];
  return {
    ...headers,
    ...(setCookie ? { 'set-cookie': [setCookie].flat().map((cookie) => confinedSetCookie(cookie, slug)) } : {}),
    // A second policy narrows the first; the upstream's own CSP still applies.
    'content-security-policy': csp ? [String(csp), PATH_TENANT_CSP] : PATH_TENANT_CSP,
  } as IncomingHttpHeaders;
}
