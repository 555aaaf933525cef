import { Injectable } from '@nestjs/common';
import {
  ALWAYS_ALLOWED_REQUEST_HEADERS,
  compilePolicy,
  CORS_DISABLED,
  type CorsPolicy,
  type CorsRequest,
  decide,
  matchPathRule,
  normaliseMethod,
  type OriginRule,
  policyWarnings,
  SAFELISTED_METHODS,
} from '#dynamic-cors';
import { TenantPolicyReader } from '#dynamic-cors/postgres';
import { tenantNotFound } from '../tenants/tenants.repository.js';
import type { CheckRequest, CheckResult } from './check.schema.js';

/**
 * Answers "what would the gateway do with this browser request?" with the gateway's own
 * engine on the gateway's own data: the policy is read by the same {@link TenantPolicyReader}
 * and decided by the same `compilePolicy` and `decide`.
 */
@Injectable()
export class CheckService {
  constructor(private readonly reader: TenantPolicyReader) {}

  async check(slug: string, input: CheckRequest): Promise<CheckResult> {
    const tenant = await this.reader.read(slug);
    if (tenant === null) throw tenantNotFound(slug);
    const now = Date.now();
    const tenantPolicy = compilePolicy(tenant.policy, now);
    const pathRule =
      input.path === undefined || tenantPolicy.pathRules === undefined
        ? undefined
        : matchPathRule(tenantPolicy.pathRules, input.path, 0);
    const compiled = pathRule?.policy ?? tenantPolicy;
    const method = normaliseMethod(input.method);
    const headerNames = (
      Array.isArray(input.requestHeaders) ? input.requestHeaders : (input.requestHeaders ?? '').split(',')
    )
      .map((name) => name.trim())
      .filter((name) => name !== '');
    const preflight = input.preflight ?? needsPreflight(method, headerNames);
    const request: CorsRequest = preflight
      ? {
          method: 'OPTIONS',
          origin: input.origin,
          accessControlRequestMethod: method,
          ...(headerNames.length === 0 ? {} : { accessControlRequestHeaders: headerNames.join(', ') }),
          accessControlRequestPrivateNetwork: input.privateNetwork === true,
        }
      : { method, origin: input.origin };
    const decision = pathRule !== undefined && pathRule.policy === undefined ? CORS_DISABLED : decide(compiled, request);

    const reasons = [...decision.reasons];
    // The tenant's own origins apply unless the path rule that applied has origins of its own.
    const ownOrigins = pathRule === undefined || tenant.policy.pathRules?.[pathRule.index]?.origins === undefined;
    if (decision.refusal === 'origin_not_listed' && ownOrigins) {
      const expired = expiredRuleMatching(tenant.policy, input.origin, now);
      if (expired !== undefined) reasons.push(`origin rule ${expired.value} expired at ${expired.expiresAt!.toISOString()}`);
    }
    let allowed = decision.allowed;
    let refusal = decision.refusal;
    // The gateway does not refuse this (the request itself is fine); the browser does, when
    // Access-Control-Allow-Credentials is missing: https://fetch.spec.whatwg.org/#cors-check
    if (input.credentials === true && !compiled.allowCredentials && decision !== CORS_DISABLED) {
      allowed = false;
      refusal ??= 'credentials_not_allowed';
      reasons.push(
        'the request carries credentials but the policy does not allow credentials (allowCredentials is false): the browser would refuse the response',
      );
    }
    const headers: Record<string, string> = Object.fromEntries(decision.headers);
    if (decision.vary !== '') headers.vary = decision.vary;
    if (compiled.timingAllowOrigin && decision.allowed && decision.kind === 'actual')
      headers['timing-allow-origin'] = input.origin;
    if (decision === CORS_DISABLED) {
      allowed = false;
      reasons.push('the gateway sends no CORS headers and refuses nothing here: the upstream answers CORS itself');
    }
    return {
      allowed,
      kind: preflight ? 'preflight' : 'actual',
      mode: compiled.mode,
      blocked: decision.block,
      ...(decision.matchedRule === undefined
        ? {}
        : {
            matchedRule: {
              ...(decision.matchedRule.id === undefined ? {} : { id: decision.matchedRule.id }),
              kind: decision.matchedRule.kind,
              value: decision.matchedRule.value,
            },
          }),
      reasons,
      ...(refusal === undefined ? {} : { refusal }),
      headers,
      warnings: [...tenantPolicy.warnings, ...policyWarnings(tenant.policy)],
      ...(pathRule === undefined ? {} : { pathRule: { index: pathRule.index, path: pathRule.pattern.path } }),
      policyVersion: tenant.version,
    };
  }
}

/** The expired origin rule that would have matched `origin` before it expired, if one would. */
function expiredRuleMatching(policy: CorsPolicy, origin: string, now: number): OriginRule | undefined {
  const expired = policy.origins.filter((rule) => rule.expiresAt !== undefined && rule.expiresAt.getTime() <= now);
  if (expired.length === 0) return undefined;
  // Compiled as of the beginning of time, when none of them had expired yet.
  const before = compilePolicy({ ...policy, origins: expired, pathRules: [] }, -Infinity);
  return decide(before, { method: 'GET', origin }).matchedRule;
}

/**
 * Whether a browser would send a preflight first: a method other than GET, HEAD and POST, or a
 * header that is not safelisted (https://fetch.spec.whatwg.org/#cors-preflight-fetch). The
 * caller lists only non-safelisted headers; the few always passed are left out.
 */
function needsPreflight(method: string, headerNames: readonly string[]): boolean {
  return (
    !SAFELISTED_METHODS.has(method) ||
    headerNames.some((name) => !ALWAYS_ALLOWED_REQUEST_HEADERS.has(name.toLowerCase()))
  );
}
