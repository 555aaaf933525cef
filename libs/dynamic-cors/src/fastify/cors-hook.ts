import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from '#problem-details';
import { type CompiledPolicy, CORS_DISABLED, corsDecisionHeader, decide, DECISION_HEADER, matchPathRule, type CorsDecision } from '../core/index.js';
import type { CorsTarget } from '../cors-policy-source.js';
import type { DynamicCorsOptions } from '../dynamic-cors.options.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant and CORS decision of a tenant request; undefined for the app's own routes. */
    cors?: { readonly target: CorsTarget; readonly decision: CorsDecision };
  }
}

/**
 * The protocol is applied by hand rather than through `@fastify/cors` (whose per-request
 * `delegator` could feed it options): that plugin cannot refuse a request with 403 before its
 * handler (enforce mode), cannot explain a decision, and its origin options (unanchored
 * regexes, reflecting any origin) are not the validated rule model of this product. The
 * decision itself is the pure `decide()`; this hook only reads the request and writes headers.
 */
export function registerCorsHook(fastify: FastifyInstance, options: DynamicCorsOptions): void {
  fastify.decorateRequest('cors', undefined);
  fastify.addHook('onRequest', (request, reply, done) => {
    let resolved: ReturnType<typeof options.source.forRequest>;
    try {
      resolved = options.source.forRequest(request);
    } catch (error) {
      unavailable(error, request, reply);
      return;
    }
    if (resolved instanceof Promise) {
      resolved.then(
        (target) => apply(target, request, reply, done, options),
        (error: unknown) => unavailable(error, request, reply),
      );
    } else {
      apply(resolved, request, reply, done, options);
    }
  });
}

function apply(
  target: CorsTarget | null | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
  options: DynamicCorsOptions,
): void {
  if (target === undefined) return done();
  if (target === null) {
    void reply.code(404).header('content-type', PROBLEM_CONTENT_TYPE).send(problem(404, 'Not Found', 'no such tenant', request));
    return;
  }
  let policy = target.policy;
  // Tenants without path rules pay this one check and nothing else.
  if (policy.pathRules !== undefined) {
    const rule = matchPathRule(policy.pathRules, request.url, options.source.tenantPathStart?.(request, target) ?? 0);
    if (rule !== undefined) {
      if (rule.policy === undefined) {
        // `disabled: true`: no CORS processing at all on this path (SPEC "Path rules").
        request.cors = { target, decision: CORS_DISABLED };
        options.onDecision?.(request, target, CORS_DISABLED);
        return done();
      }
      policy = rule.policy;
    }
  }
  const headers = request.headers;
  const origin = headers.origin;
  const decision = decide(policy, {
    method: request.method,
    origin,
    selfOrigin: origin === undefined ? undefined : `${request.protocol}://${request.host}`,
    accessControlRequestMethod: headers['access-control-request-method'] as string | undefined,
    accessControlRequestHeaders: headers['access-control-request-headers'] as string | undefined,
    accessControlRequestPrivateNetwork: headers['access-control-request-private-network'] === 'true',
  });
  request.cors = { target, decision };
  options.onDecision?.(request, target, decision);

  if (decision.kind === 'preflight' && !decision.block) {
    // Answered here, whatever routes exist. A refused preflight in report-only mode gets a
    // plain 204 without CORS headers: the browser refuses it, the gateway blocks nothing.
    answerPreflight(reply, decision, policy);
    return;
  }
  reply.header('vary', decision.vary);
  for (const [name, value] of decision.headers) reply.header(name, value);
  if (policy.debugHeader) reply.header(DECISION_HEADER, corsDecisionHeader(decision)!);
  if (policy.timingAllowOrigin && decision.allowed && decision.kind === 'actual') {
    // Resource Timing: lets the allowed page read this response's timings (SPEC "Preflight answers").
    reply.header('timing-allow-origin', origin!);
  }

  if (decision.block) {
    // Refused cross-origin request in enforce mode: never reaches the tenant's handler.
    void reply.code(403).header('content-type', PROBLEM_CONTENT_TYPE).send(problem(403, 'Forbidden', decision.reasons.join('; '), request));
    return;
  }
  done();
}

/**
 * Writes a preflight's 204 straight to Node's response: its answer is the decision's headers
 * and nothing else, and Fastify's reply pipeline (a header per `reply.header()` call, onSend
 * hooks, payload and content-length handling) was about a third of the CPU of a preflight
 * for nothing it adds (issue 13). `hijack()` is Fastify's documented way to say the response
 * is taken care of; its onResponse hooks still run. Headers set by an earlier hook are kept.
 */
function answerPreflight(reply: FastifyReply, decision: CorsDecision, policy: CompiledPolicy): void {
  reply.hijack();
  const lines: string[] = [];
  const earlier = reply.getHeaders();
  for (const name in earlier) {
    const value = earlier[name];
    if (value === undefined || name === 'vary') continue;
    if (Array.isArray(value)) for (const item of value) lines.push(name, item);
    else lines.push(name, String(value));
  }
  lines.push('vary', decision.vary);
  for (const [name, value] of decision.headers) lines.push(name, value);
  if (policy.debugHeader) lines.push(DECISION_HEADER, corsDecisionHeader(decision)!);
  reply.raw.writeHead(policy.preflightStatus, lines);
  reply.raw.end();
}

/** The policy could not be read (database down, tenant not cached): refuse, with no CORS headers. */
function unavailable(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  request.log.error({ err: error }, 'tenant policy unavailable');
  void reply
    .code(503)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('retry-after', '5')
    .send(problem(503, 'Service Unavailable', 'the tenant policy cannot be read right now; try again shortly', request));
}

function problem(status: number, title: string, detail: string, request: FastifyRequest) {
  return { type: 'about:blank', title, status, detail, instance: request.url.split('?')[0] };
}
