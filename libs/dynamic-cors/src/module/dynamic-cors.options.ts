import type { CorsDecision } from '../core/index.js';
import type { CorsHttpRequest } from '../platforms/cors-request.js';
import type { CorsTarget, PolicySource, TenantKey } from '../sources/policy-source.js';

/**
 * Which tenant a request is for: its key, `null` when it names a tenant that does not exist
 * (404 without CORS headers), or `undefined` when it is not a tenant request at all (the app's
 * own routes: untouched).
 */
export type TenantOf<K = TenantKey> = (request: CorsHttpRequest) => K | null | undefined;

/** A {@link TenantOf} that also says where the tenant's own path starts (after `/t/<slug>`). */
export interface TenantResolver<K = TenantKey> {
  readonly tenantOf: TenantOf<K>;
  /** Where the tenant's own path starts in `request.url`, for path rules to match; 0 when absent. */
  readonly pathStart?: (request: CorsHttpRequest, target: CorsTarget) => number;
}

/** Options of {@link DynamicCorsModule}. */
export interface DynamicCorsOptions<K = TenantKey> {
  readonly source: PolicySource<K>;
  /** A function, or a resolver such as `tenantByPath()` or `tenantByHost({ baseDomain })`. */
  readonly tenant: TenantOf<K> | TenantResolver<K>;
  /**
   * Told of every decision taken for a tenant request (metrics, logs); must be cheap. `request`
   * is the platform's own request object (Fastify's or Express's).
   */
  readonly onDecision?: (request: CorsHttpRequest, target: CorsTarget, decision: CorsDecision) => void;
  /**
   * Where the layer reports a policy it could not read (pino's shape). Default: the request's
   * logger on Fastify (`request.log`), Nest's `Logger` on Express. A Fastify instance without a
   * logger of its own (as the gateway's tenant server, whose per-request child logger cost more
   * than anything it logged) passes its app's.
   */
  readonly logger?: CorsErrorLogger;
}

/** A logger the layer can report errors to: pino's `logger.error(fields, message)`. */
export interface CorsErrorLogger {
  error(fields: object, message: string): void;
}
