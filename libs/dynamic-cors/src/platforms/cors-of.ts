import type { CorsEvaluation } from './cors-engine.js';

/**
 * The tenant and CORS decision the layer took for a request (Fastify's or Express's), for a
 * handler or guard to read; undefined for a request that is not a tenant's.
 */
export function corsOf(request: object): CorsEvaluation | undefined {
  return (request as { cors?: CorsEvaluation }).cors;
}
