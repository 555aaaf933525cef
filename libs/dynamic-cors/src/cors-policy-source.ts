import type { FastifyRequest } from 'fastify';
import type { CompiledPolicy } from './core/index.js';

/** The tenant a request belongs to, as far as CORS is concerned. */
export interface CorsTarget {
  readonly tenantId: string;
  readonly slug: string;
  /** Compiled once per policy version, never per request. */
  readonly policy: CompiledPolicy;
}

/**
 * Where the CORS layer gets a request's policy: the port an app implements (the gateway with
 * its PostgreSQL-backed cache), in the way `@nestjs/throttler` defines `ThrottlerStorage`.
 *
 * Returns the target, `null` for a request that names a tenant that does not exist (answered
 * 404 without CORS headers), or `undefined` for a request that is not for a tenant at all
 * (the app's own routes: health, metrics). Answer synchronously when the policy is at hand:
 * the hook then adds no asynchronous step to the request.
 */
export interface CorsPolicySource {
  forRequest(request: FastifyRequest): CorsTarget | null | undefined | Promise<CorsTarget | null | undefined>;
  /**
   * Where the tenant's own path starts in `request.url` (after a prefix such as `/t/<slug>`),
   * for path rules to match; 0 (the whole URL) when not implemented.
   */
  tenantPathStart?(request: FastifyRequest, target: CorsTarget): number;
}

/** Injection token of the {@link CorsPolicySource}. */
export const CorsPolicySource = Symbol('CorsPolicySource');
