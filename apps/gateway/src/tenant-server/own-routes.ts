/** The paths of the gateway's own routes (Nest controllers), as Fastify matches them. */
const OWN_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Whether the Nest app answers a request rather than the tenant server: the gateway's own
 * routes (health, metrics) whatever the Host, and request targets not in origin-form
 * (`OPTIONS *`, `GET *t/acme`, absolute-form), which the Nest app's Fastify adapter answers
 * with 404 (or, absolute-form, hands back to the tenant server) as it always has, rather than
 * letting the router read them as paths. On every request: most answer at the first comparisons.
 */
export function isForNestApp(url: string): boolean {
  if (url.charCodeAt(0) !== 47 /* / */) return true;
  if (!url.startsWith('/health/') && !url.startsWith('/metrics')) return false;
  const query = url.indexOf('?');
  return OWN_PATHS.has(query === -1 ? url : url.slice(0, query));
}
