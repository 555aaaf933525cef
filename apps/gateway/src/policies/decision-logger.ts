import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { CorsDecision, CorsTarget } from '#dynamic-cors';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';

/** Longest Origin a refusal log line carries; a header may be up to 16 KB. */
export const LOGGED_ORIGIN_MAX = 256;

/** The Origin as logged: cut at {@link LOGGED_ORIGIN_MAX} characters, saying how long it was. */
export function loggedOrigin(origin: string | undefined): string | undefined {
  if (origin === undefined || origin.length <= LOGGED_ORIGIN_MAX) return origin;
  return `${origin.slice(0, LOGGED_ORIGIN_MAX)}…[truncated, ${origin.length} characters]`;
}

/**
 * Counts every decision, and logs every refusal with its reasons ("why was this origin
 * refused?"); in report-only mode the refusal is logged as what enforce mode would have done.
 * Allowed requests are logged only at debug level.
 */
export function decisionLogger(logger: Logger, metrics: GatewayMetrics) {
  return (request: FastifyRequest, target: CorsTarget, decision: CorsDecision): void => {
    metrics.decision(decision);
    if (decision.allowed) {
      if (logger.isLevelEnabled('debug')) {
        logger.debug({ reqId: request.id, tenant: target.slug, kind: decision.kind, reasons: decision.reasons }, 'cors allowed');
      }
      return;
    }
    logger.info(
      { reqId: request.id, tenant: target.slug, kind: decision.kind, origin: loggedOrigin(request.headers.origin), mode: target.policy.mode, reasons: decision.reasons },
      decision.block ? 'cors refused' : 'cors would be refused (report-only)',
    );
  };
}
