import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import {
  answersPreflight,
  type CorsEngine,
  type CorsEvaluation,
  type CorsProblem,
  PROBLEM_CONTENT_TYPE,
  refusedProblem,
  type Resolution,
  UNAVAILABLE_RETRY_AFTER,
  unavailableProblem,
  unknownTenantProblem,
  writeCorsHeaders,
} from './cors-engine.js';
import type { CorsHttpRequest } from './cors-request.js';

/** An Express request as the middleware reads it (`host` and `protocol` are Express's own getters). */
type ExpressRequest = IncomingMessage & CorsHttpRequest & { cors?: CorsEvaluation };
type Next = (error?: unknown) => void;

/** The part of an Express 5 application the middleware is installed with. */
export interface ExpressApplication {
  use(handler: (request: ExpressRequest, response: ServerResponse, next: Next) => void): unknown;
  /** Express 5's documented router of the application; its `stack` holds the layers in order. */
  readonly router?: { readonly stack?: unknown[] };
}

const logger = new Logger('DynamicCors');

/**
 * Installs the CORS middleware as the application's first layer: before Nest's body parsers
 * and routes, as the Fastify hook runs before them, so that a refused request or a preflight
 * costs no body parsing and a body that cannot be parsed still gets its CORS headers. Nest
 * registers its body parsers before any module can add a middleware, so the layer is moved to
 * the front of the router's stack; an Express without that stack gets it where `use` puts it.
 */
export function installExpressCors<K>(app: ExpressApplication, engine: CorsEngine<K>): void {
  app.use(expressCorsMiddleware(engine));
  const stack = app.router?.stack;
  if (Array.isArray(stack) && stack.length > 1) stack.unshift(stack.pop());
}

/** The same protocol as the Fastify hook (`fastify.ts`), written to Node's response. */
export function expressCorsMiddleware<K>(engine: CorsEngine<K>) {
  return (request: ExpressRequest, response: ServerResponse, next: Next): void => engine.run(request, response, next, apply, unavailable);
}

function apply<K>(engine: CorsEngine<K>, target: Resolution, request: ExpressRequest, response: ServerResponse, next: Next): void {
  if (target === undefined) return next();
  if (target === null) return sendProblem(response, unknownTenantProblem(request.url));
  const evaluation = engine.evaluate(target, request);
  request.cors = evaluation;
  const origin = request.headers.origin;
  writeCorsHeaders(evaluation, origin, response, setResponseHeader);
  if (answersPreflight(evaluation)) {
    response.statusCode = evaluation.policy.preflightStatus;
    response.end();
    return;
  }
  if (evaluation.decision.block) return sendProblem(response, refusedProblem(evaluation, request.url));
  next();
}

function setResponseHeader(response: ServerResponse, name: string, value: string): void {
  response.setHeader(name, value);
}

function sendProblem(response: ServerResponse, problem: CorsProblem): void {
  const body = JSON.stringify(problem);
  response.statusCode = problem.status;
  // As Fastify sends it: a JSON body says its charset.
  response.setHeader('content-type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}

function unavailable<K>(engine: CorsEngine<K>, error: unknown, request: ExpressRequest, response: ServerResponse): void {
  if (engine.logger) engine.logger.error({ err: error }, 'tenant policy unavailable');
  else logger.error(`tenant policy unavailable: ${error instanceof Error ? error.message : String(error)}`);
  response.setHeader('retry-after', UNAVAILABLE_RETRY_AFTER);
  sendProblem(response, unavailableProblem(request.url));
}
