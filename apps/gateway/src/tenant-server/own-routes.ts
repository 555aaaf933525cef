/** The paths of the gateway's own routes (Nest controllers), as Fastify matches them. */
const OWN_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Whether a request is for one of the gateway's own routes (health, metrics), served by the
 * Nest app whatever its Host; every other request is tenant traffic. On every request: most
 * answer at the first comparison.
 */
export function isOwnRoute(url: string): boolean {
  if (!url.startsWith('/health/') && !url.startsWith('/metrics')) return false;
  const query = url.indexOf('?');
  return OWN_PATHS.has(query === -1 ? url : url.slice(0, query));
}
