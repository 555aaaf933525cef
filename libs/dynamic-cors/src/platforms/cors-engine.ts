import {
  type CompiledPolicy,
  CORS_DISABLED,
  corsDecisionHeader,
  decide,
  DECISION_HEADER,
  matchPathRule,
  type CorsDecision,
} from '../core/index.js';
import type { CorsErrorLogger, DynamicCorsOptions, TenantResolver } from '../module/dynamic-cors.options.js';
import type { CorsTarget, PolicySource } from '../sources/policy-source.js';
import type { CorsHttpRequest } from './cors-request.js';

/** What a request's CORS processing found: kept on the request as `request.cors`. */
export interface CorsEvaluation {
  readonly target: CorsTarget;
  readonly decision: CorsDecision;
  /** The policy that decided: the tenant's, or the one of the path rule that matched. */
  readonly policy: CompiledPolicy;
}

/** A request the source resolved: its target, `null` (no such tenant) or `undefined` (not a tenant request). */
export type Resolution = CorsTarget | null | undefined;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem body, the same on every platform. */
export interface CorsProblem {
  readonly type: 'about:blank';
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
}

/**
 * The platform-free part of the CORS layer: which tenant a request is for, its decision, and
 * the headers and problem bodies that follow from it. The Fastify hook and the Express
 * middleware only read requests into it and write what it says, so that both platforms give
 * the same answers.
 */
export class CorsEngine<K> {
  private readonly source: PolicySource<K>;
  private readonly resolver: TenantResolver<K>;
  private readonly onDecision: DynamicCorsOptions<K>['onDecision'];
  /** Where the adapters report a policy that could not be read, when the app says so. */
  readonly logger: CorsErrorLogger | undefined;
  // The last request's own origin and what it was made of: one server sees few, and the string
  // built anew, flattened and compared on every request was a fifth of deciding it (issue 13).
  private lastProtocol = '';
  private lastHost = '';
  private lastSelfOrigin = '';

  constructor(options: DynamicCorsOptions<K>) {
    this.source = options.source;
    this.resolver = typeof options.tenant === 'function' ? { tenantOf: options.tenant } : options.tenant;
    this.onDecision = options.onDecision;
    this.logger = options.logger;
  }

  /** The request's tenant, synchronously when its policy is at hand. Throws or rejects when it cannot be read. */
  resolve(request: CorsHttpRequest): Resolution | Promise<Resolution> {
    const key = this.resolver.tenantOf(request);
    if (key === undefined) return undefined;
    if (key === null) return null;
    return this.source.forTenant(key, request);
  }

  /**
   * Resolves the request's tenant and hands it to `apply`, synchronously when its policy is at
   * hand (no promise, no closure on a cache hit), or the error to `fail` when it cannot be read.
   * The adapters' whole request flow; they only say how to apply and how to fail.
   */
  run<R extends CorsHttpRequest, S, N>(
    request: R,
    response: S,
    next: N,
    apply: (engine: CorsEngine<K>, target: Resolution, request: R, response: S, next: N) => void,
    fail: (engine: CorsEngine<K>, error: unknown, request: R, response: S) => void,
  ): void {
    let resolved: Resolution | Promise<Resolution>;
    try {
      resolved = this.resolve(request);
    } catch (error) {
      fail(this, error, request, response);
      return;
    }
    if (resolved instanceof Promise) {
      resolved.then(
        (target) => apply(this, target, request, response, next),
        (error: unknown) => fail(this, error, request, response),
      );
    } else {
      apply(this, resolved, request, response, next);
    }
  }

  /** Decides a tenant request: its path rule first (the first whose pattern matches), then the protocol. */
  evaluate(target: CorsTarget, request: CorsHttpRequest): CorsEvaluation {
    let policy = target.policy;
    // Tenants without path rules pay this one check and nothing else.
    if (policy.pathRules !== undefined) {
      const rule = matchPathRule(policy.pathRules, request.url, this.resolver.pathStart?.(request, target) ?? 0);
      if (rule !== undefined) {
        if (rule.policy === undefined) {
          // `disabled: true`: no CORS processing at all on this path (SPEC "Path rules").
          this.onDecision?.(request, target, CORS_DISABLED);
          return { target, decision: CORS_DISABLED, policy };
        }
        policy = rule.policy;
      }
    }
    const headers = request.headers;
    const origin = headers.origin;
    const decision = decide(policy, {
      method: request.method,
      origin,
      selfOrigin: origin === undefined ? undefined : this.selfOriginOf(request),
      accessControlRequestMethod: headers['access-control-request-method'] as string | undefined,
      accessControlRequestHeaders: headers['access-control-request-headers'] as string | undefined,
      accessControlRequestPrivateNetwork: headers['access-control-request-private-network'] === 'true',
    });
    this.onDecision?.(request, target, decision);
    return { target, decision, policy };
  }

  /** `scheme://host` of the request itself, to recognise same-origin requests; none without a Host. */
  private selfOriginOf(request: CorsHttpRequest): string | undefined {
    const protocol = request.protocol;
    const host = request.host;
    if (host === undefined) return undefined;
    if (protocol !== this.lastProtocol || host !== this.lastHost) {
      this.lastProtocol = protocol;
      this.lastHost = host;
      this.lastSelfOrigin = `${protocol}://${host}`;
    }
    return this.lastSelfOrigin;
  }
}

/** Whether the layer answers the request itself with its preflight response. */
export function answersPreflight(evaluation: CorsEvaluation): boolean {
  return evaluation.decision.kind === 'preflight' && !evaluation.decision.block;
}

/**
 * Hands every response header of the evaluation to `set(sink, name, value)`, `Vary` first. A
 * setter and its sink rather than a closure or a list: no allocation per request.
 */
export function writeCorsHeaders<S>(evaluation: CorsEvaluation, origin: string | undefined, sink: S, set: (sink: S, name: string, value: string) => void): void {
  const { decision, policy } = evaluation;
  if (decision.kind === 'disabled') return;
  set(sink, 'vary', decision.vary);
  // Indexed, not `for (const [name, value] of …)`: the iterator protocol, for the list and
  // again for each pair it destructured, was some 1,000 instructions per request (issue 13).
  const headers = decision.headers;
  for (let index = 0; index < headers.length; index++) {
    const header = headers[index]!;
    set(sink, header[0], header[1]);
  }
  if (policy.debugHeader) set(sink, DECISION_HEADER, corsDecisionHeader(decision)!);
  if (policy.timingAllowOrigin && decision.allowed && decision.kind === 'actual') {
    // Resource Timing: lets the allowed page read this response's timings (SPEC "Preflight answers").
    set(sink, 'timing-allow-origin', origin!);
  }
}

/** 403 for a refused cross-origin request in enforce mode (no CORS header: the browser shows nothing). */
export function refusedProblem(evaluation: CorsEvaluation, url: string): CorsProblem {
  return problem(403, 'Forbidden', evaluation.decision.reasons.join('; '), url);
}

/** 404 for a request that names a tenant that does not exist. */
export function unknownTenantProblem(url: string): CorsProblem {
  return problem(404, 'Not Found', 'no such tenant', url);
}

/** 503 (with `Retry-After`) when the tenant's policy cannot be read right now. */
export function unavailableProblem(url: string): CorsProblem {
  return problem(503, 'Service Unavailable', 'the tenant policy cannot be read right now; try again shortly', url);
}

export const UNAVAILABLE_RETRY_AFTER = '5';

function problem(status: number, title: string, detail: string, url: string): CorsProblem {
  const query = url.indexOf('?');
  return { type: 'about:blank', title, status, detail, instance: query === -1 ? url : url.slice(0, query) };
}
