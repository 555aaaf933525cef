import type { FastifyRequest } from 'fastify';
import type { CorsDecision } from './core/index.js';
import type { CorsPolicySource, CorsTarget } from './cors-policy-source.js';

/** Options of {@link DynamicCorsModule}. */
export interface DynamicCorsOptions {
  readonly source: CorsPolicySource;
  /** Told of every decision taken for a tenant request (metrics, logs); must be cheap. */
  readonly onDecision?: (request: FastifyRequest, target: CorsTarget, decision: CorsDecision) => void;
}
