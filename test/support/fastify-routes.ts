import type { FastifyInstance } from 'fastify';

/** One registered route. */
export interface RegisteredRoute {
  readonly method: string;
  /** The path as registered, parameters as `:name`. */
  readonly url: string;
}

/**
 * Every route registered on a Fastify instance, read from the router's own listing
 * (`printRoutes`), so that tests derive the route list instead of repeating it. HEAD routes
 * Fastify adds for each GET are left out.
 */
export function registeredRoutes(fastify: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  const pathAtDepth: string[] = [];
  for (const line of fastify.printRoutes({ commonPrefix: false }).split('\n')) {
    const branch = line.search(/[├└]── /);
    if (branch === -1) continue;
    const depth = branch / 4;
    const match = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.slice(branch + 4));
    if (match === null) continue;
    const path = (depth === 0 ? '' : pathAtDepth[depth - 1]!) + match[1]!;
    pathAtDepth[depth] = path;
    pathAtDepth.length = depth + 1;
    for (const method of (match[2] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) {
      routes.push({ method, url: path });
    }
  }
  return routes;
}
