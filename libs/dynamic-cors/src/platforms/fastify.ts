import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  answersPreflight,
  CorsEngine,
  type CorsEvaluation,
  PROBLEM_CONTENT_TYPE,
  refusedProblem,
  type Resolution,
  UNAVAILABLE_RETRY_AFTER,
  unavailableProblem,
  unknownTenantProblem,
  writeCorsHeaders,
} from './cors-engine.js';
import type { DynamicCorsOptions } from '../module/dynamic-cors.options.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant and CORS decision of a tenant request; undefined for the app's own routes. */
    cors?: CorsEvaluation;
  }
}

/**
 * The protocol is applied by hand rather than through `@fastify/cors` (whose per-request
 * `delegator` could feed it options): that plugin cannot refuse a request with 403 before its
 * handler (enforce mode), cannot explain a decision, and its origin options (unanchored
 * regexes, reflecting any origin) are not the validated rule model of this product. One
 * `onRequest` hook, so preflights are answered and refusals stopped before routing, and the
 * headers of allowed requests set from the start (404s and errors carry them too).
 */
export function registerFastifyCors<K>(fastify: FastifyInstance, engine: CorsEngine<K>): void {
  fastify.decorateRequest('cors', undefined);
  fastify.addHook('onRequest', (request, reply, done) => engine.run(request, reply, done, apply, unavailable));
}

/**
 * The layer on a plain Fastify instance, without Nest: what `DynamicCorsModule` does for a
 * Nest app. Call it on the instance itself (not inside `register`, whose encapsulation would
 * keep the hook from routes registered outside it). The source starts when the instance is
 * ready (an `onReady` hook: a source that warms a large cache may need a `pluginTimeout`
 * longer than Fastify's 10 s) and stops when it closes.
 *
 * ```ts
 * registerDynamicCors(app, { source: postgresPolicySource({ databaseUrl }), tenant: tenantByPath() });
 * ```
 */
export function registerDynamicCors<K>(fastify: FastifyInstance, options: DynamicCorsOptions<K>): void {
  registerFastifyCors(fastify, new CorsEngine(options));
  const { source } = options;
  fastify.addHook('onReady', async () => {
    await source.start?.();
  });
  fastify.addHook('onClose', async () => {
    await source.stop?.();
  });
}

function apply<K>(engine: CorsEngine<K>, target: Resolution, request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
  if (target === undefined) return done();
  if (target === null) {
    void reply.code(404).header('content-type', PROBLEM_CONTENT_TYPE).send(unknownTenantProblem(request.url));
    return;
  }
  const evaluation = engine.evaluate(target, request);
  request.cors = evaluation;
  if (answersPreflight(evaluation)) {
    // Answered here, whatever routes exist. A refused preflight in report-only mode gets a
    // plain 204 without CORS headers: the browser refuses it, the layer blocks nothing.
    answerPreflight(reply, evaluation, request.headers.origin);
    return;
  }
  writeCorsHeaders(evaluation, request.headers.origin, reply, setReplyHeader);
  if (evaluation.decision.block) {
    // Refused cross-origin request in enforce mode: never reaches the tenant's handler.
    void reply.code(403).header('content-type', PROBLEM_CONTENT_TYPE).send(refusedProblem(evaluation, request.url));
    return;
  }
  done();
}

function setReplyHeader(reply: FastifyReply, name: string, value: string): void {
  reply.header(name, value);
}

function pushHeaderLine(lines: string[], name: string, value: string): void {
  lines.push(name, value);
}

/**
 * Writes a preflight's answer straight to Node's response: it is the decision's headers and
 * nothing else, and Fastify's reply pipeline (a header per `reply.header()` call, onSend
 * hooks, payload and content-length handling) was about a third of the CPU of a preflight
 * for nothing it adds (issue 13). `hijack()` is Fastify's documented way to say the response
 * is taken care of; its onResponse hooks still run. Headers set by an earlier hook are kept.
 */
function answerPreflight(reply: FastifyReply, evaluation: CorsEvaluation, origin: string | undefined): void {
  reply.hijack();
  const lines: string[] = [];
  const earlier = reply.getHeaders();
  for (const name in earlier) {
    const value = earlier[name];
    if (value === undefined || name === 'vary') continue;
    if (Array.isArray(value)) for (const item of value) lines.push(name, item);
    else lines.push(name, String(value));
  }
  writeCorsHeaders(evaluation, origin, lines, pushHeaderLine);
  reply.raw.writeHead(evaluation.policy.preflightStatus, lines);
  reply.raw.end();
}

/** The policy could not be read (database down, tenant not cached): refuse, with no CORS headers. */
function unavailable<K>(engine: CorsEngine<K>, error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  // request.log is bound to the request id already; the app's logger is told it.
  if (engine.logger) engine.logger.error({ err: error, reqId: request.id }, 'tenant policy unavailable');
  else request.log.error({ err: error }, 'tenant policy unavailable');
  void reply
    .code(503)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('retry-after', UNAVAILABLE_RETRY_AFTER)
    .send(unavailableProblem(request.url));
}
