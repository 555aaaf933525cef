import type { CompiledPolicy } from './compile-policy.js';
import { MAX_ORIGIN_LENGTH, parseRequestOrigin } from './origin.js';
import { ExactOriginMatcher, matchedReason, type OriginMatcher } from './origin-matchers.js';
import { CREDENTIALS_HEADER, type CorsHeader } from './policy-shape.js';
import { show } from './origin-input.js';
import { checkMethod, checkRequestHeaders, isActualMethodAllowed } from './preflight-checks.js';
import type { OriginRule } from './policy.js';

/** What the decision needs from an HTTP request; header values are raw. */
export interface CorsRequest {
  readonly method: string;
  /** The raw `Origin` header, `undefined` when absent. */
  readonly origin: string | undefined;
  /** The request's own origin (`scheme://host[:port]`), to recognise same-origin requests. */
  readonly selfOrigin?: string;
  readonly accessControlRequestMethod?: string;
  readonly accessControlRequestHeaders?: string;
  readonly accessControlRequestPrivateNetwork?: boolean;
}

/**
 * Why a request was refused, as a stable code (SPEC "Traffic insight"). `credentials_not_allowed`
 * is the browser's refusal (credentials sent to a policy without them): the gateway itself
 * never refuses for it, explanations such as the check endpoint report it.
 */
export type CorsRefusalReason =
  | 'origin_not_listed'
  | 'method_not_allowed'
  | 'header_not_allowed'
  | 'credentials_not_allowed'
  | 'private_network_not_allowed'
  | 'malformed_origin'
  | 'null_origin';

/** Every {@link CorsRefusalReason}, in a stable order. */
export const REFUSAL_REASONS = Object.freeze([
  'origin_not_listed',
  'method_not_allowed',
  'header_not_allowed',
  'credentials_not_allowed',
  'private_network_not_allowed',
  'malformed_origin',
  'null_origin',
] as const) satisfies readonly CorsRefusalReason[];

/** Which CORS situation a request is in. */
export type CorsDecisionKind = 'no-origin' | 'same-origin' | 'preflight' | 'actual' | 'disabled';

/** The outcome for one request: whether it is allowed, why, and the headers to send. */
export interface CorsDecision {
  readonly kind: CorsDecisionKind;
  readonly allowed: boolean;
  /** True when the gateway must refuse with 403 (refused, `enforce` mode, cross-origin). */
  readonly block: boolean;
  /** The rule that matched the origin, also set when the preflight failed for another reason. */
  readonly matchedRule?: OriginRule;
  readonly reasons: readonly string[];
  /** The code of the first reason, when refused. */
  readonly refusal?: CorsRefusalReason;
  /** Lower-case header names, `Vary` excluded; always empty when not allowed. */
  readonly headers: readonly CorsHeader[];
  /** Value to merge into `Vary`. */
  readonly vary: string;
}

/** `Vary` of every non-preflight response: its CORS headers depend on `Origin`. */
export const ACTUAL_VARY = 'Origin';
/** `Vary` of a preflight response: it depends on every preflight request header. */
export const PREFLIGHT_VARY =
  'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network';

const NO_HEADERS: readonly CorsHeader[] = Object.freeze([]);
// https://wicg.github.io/private-network-access/#headers
const PRIVATE_NETWORK_HEADER: CorsHeader = Object.freeze([
  'access-control-allow-private-network',
  'true',
]);
const NO_ORIGIN: CorsDecision = Object.freeze({
  kind: 'no-origin',
  allowed: true,
  block: false,
  reasons: Object.freeze(['request has no Origin header']),
  headers: NO_HEADERS,
  vary: ACTUAL_VARY,
});
const SAME_ORIGIN: CorsDecision = Object.freeze({
  kind: 'same-origin',
  allowed: true,
  block: false,
  reasons: Object.freeze(['origin is the request’s own origin']),
  headers: NO_HEADERS,
  vary: ACTUAL_VARY,
});

/**
 * The decision on a path where a path rule sets `disabled: true`: no CORS processing at all
 * (no headers, `Vary` included, no 403; preflights reach the handler).
 */
export const CORS_DISABLED: CorsDecision = Object.freeze({
  kind: 'disabled',
  allowed: true,
  block: false,
  reasons: Object.freeze(['a path rule disables CORS processing on this path']),
  headers: NO_HEADERS,
  vary: '',
});

/**
 * Decides a request against a compiled policy, following the CORS protocol
 * (https://fetch.spec.whatwg.org/#http-cors-protocol). Pure, never throws, and does no
 * parsing of the policy: all of that happened in {@link compilePolicy}.
 *
 * A refused decision never carries an `access-control-*` header; with credentials no header
 * value is ever `*`.
 */
export function decide(policy: CompiledPolicy, request: CorsRequest): CorsDecision {
  const rawOrigin = request.origin;
  if (rawOrigin === undefined) return NO_ORIGIN;
  // https://fetch.spec.whatwg.org/#cors-preflight-request: OPTIONS without
  // Access-Control-Request-Method is an ordinary request.
  const preflight =
    request.method === 'OPTIONS' && request.accessControlRequestMethod !== undefined;
  const kind = preflight ? 'preflight' : 'actual';
  const vary = preflight ? PREFLIGHT_VARY : ACTUAL_VARY;

  // An origin sent exactly as an exact rule holds it is not parsed: rules hold what
  // parseRequestOrigin returns, which it returns unchanged (origin.property.spec), and parsing
  // the header was the costliest step of an allowed actual request (issue 13). An overlong
  // header is not even hashed for the lookup.
  const listed = rawOrigin.length <= MAX_ORIGIN_LENGTH ? policy.exactOrigin(rawOrigin) : undefined;
  const origin = listed === undefined ? parseRequestOrigin(rawOrigin) : rawOrigin;
  if (origin === null)
    return refuse(policy, kind, vary, undefined, 'malformed_origin', [
      'origin header is not a valid origin',
    ]);
  // An opaque origin is never anyone's own origin.
  if (
    request.selfOrigin !== undefined &&
    origin !== 'null' &&
    origin === parseSelfOrigin(request.selfOrigin)
  ) {
    return SAME_ORIGIN;
  }

  // The exact rules were looked up already, unless parsing changed the origin.
  const match = listed ?? matchOrigin(policy, origin, origin !== rawOrigin);
  if (match === undefined) {
    const reason = policy.hasOrigins ? `origin ${origin} matched no rule` : 'policy has no origins';
    const refusal = origin === 'null' ? 'null_origin' : 'origin_not_listed';
    return refuse(policy, kind, vary, undefined, refusal, [reason]);
  }
  // The browser compares Allow-Origin byte for byte with the origin it sent
  // (https://fetch.spec.whatwg.org/#cors-check), so a valid header is echoed exactly as sent.
  const allowOrigin = match.rule.kind === 'any' ? '*' : rawOrigin;
  if (!preflight) {
    if (isActualMethodAllowed(policy, request.method))
      return allowActual(policy, match, rawOrigin, origin, allowOrigin);
    // `allowedMethods` is the whole list, for actual requests too (SPEC "Policy depth").
    return refuse(policy, kind, vary, match.rule, 'method_not_allowed', [
      matchedReason(origin, match),
      `method ${show(request.method)} is not in allowedMethods`,
    ]);
  }
  return decidePreflight(policy, request, match, rawOrigin, origin, allowOrigin);
}

// The last self origin parsed, and its result. A gateway sees very few distinct `Host`
// headers, and parsing the request's own origin on every request was as costly as parsing its
// `Origin` header in the hot-path profile (issue 6). The result depends only on the string.
let lastSelfOrigin: string | undefined;
let lastSelfOriginParsed: string | null = null;

function parseSelfOrigin(selfOrigin: string): string | null {
  if (selfOrigin !== lastSelfOrigin) {
    lastSelfOriginParsed = parseRequestOrigin(selfOrigin);
    lastSelfOrigin = selfOrigin;
  }
  return lastSelfOriginParsed;
}

function matchOrigin(policy: CompiledPolicy, origin: string, tryExact: boolean): OriginMatcher | undefined {
  const exact = tryExact ? policy.exactOrigin(origin) : undefined;
  if (exact !== undefined) return exact;
  // `null` is an origin only when listed literally: wildcards, patterns and `*` never match it.
  if (origin === 'null') return undefined;
  for (const wildcard of policy.wildcards) {
    const { prefix, suffix } = wildcard;
    // Strictly longer than prefix + suffix: at least one label before ".example.com".
    if (
      origin.length > prefix.length + suffix.length &&
      origin.startsWith(prefix) &&
      origin.endsWith(suffix)
    ) {
      return wildcard;
    }
  }
  return policy.findPattern(origin) ?? policy.anyOrigin;
}

function allowActual(
  policy: CompiledPolicy,
  match: OriginMatcher,
  rawOrigin: string,
  origin: string,
  allowOrigin: string,
): CorsDecision {
  if (match instanceof ExactOriginMatcher && rawOrigin === match.origin) return listed(match);
  const headers =
    allowOrigin === '*'
      ? policy.anyOriginActualHeaders
      : [['access-control-allow-origin', allowOrigin] as const, ...policy.actualTailHeaders];
  return allowed('actual', match.rule, [matchedReason(origin, match)], headers);
}

/**
 * The allowed actual decision for the usual request: an exact origin sent exactly as listed.
 * It never changes, so it is built on the origin's first request and kept.
 */
function listed(match: ExactOriginMatcher): CorsDecision {
  return (match.allowedActual ??= allowed(
    'actual',
    match.rule,
    match.allowedReasons,
    match.actualHeaders,
  ));
}

function decidePreflight(
  policy: CompiledPolicy,
  request: CorsRequest,
  match: OriginMatcher,
  rawOrigin: string,
  origin: string,
  allowOrigin: string,
): CorsDecision {
  // Checked without collecting reasons first: an allowed preflight needs none.
  const allowMethods = checkMethod(policy, request.accessControlRequestMethod ?? '');
  const allowHeaders =
    allowMethods === undefined
      ? undefined
      : checkRequestHeaders(policy, request.accessControlRequestHeaders);
  const privateNetwork = request.accessControlRequestPrivateNetwork === true;
  if (
    allowMethods === undefined ||
    allowHeaders === undefined ||
    (privateNetwork && !policy.allowPrivateNetwork)
  ) {
    return refusePreflight(policy, request, match, origin);
  }

  // An exact origin sent as listed shares its reason and Allow-Origin header (the first of
  // its actual-request headers) with its actual requests: only the array and the decision are
  // new. A whole answer per origin was not kept: it cost more memory per cached origin than it
  // saved time (the usual preflight varies by its requested headers, and browsers cache it).
  let allowOriginHeader: CorsHeader;
  let reasons: readonly string[];
  if (match instanceof ExactOriginMatcher && rawOrigin === match.origin) {
    const actual = listed(match);
    allowOriginHeader = actual.headers[0]!;
    reasons = actual.reasons;
  } else {
    allowOriginHeader = ['access-control-allow-origin', allowOrigin];
    reasons = [matchedReason(origin, match)];
  }
  const shape = policy.shape;
  const headers: CorsHeader[] = [allowOriginHeader];
  if (shape.allowCredentials) headers.push(CREDENTIALS_HEADER);
  if (allowMethods !== '') {
    headers.push(
      allowMethods === shape.allowMethodsValue
        ? shape.allowMethodsHeader! // set whenever that value is not ''
        : ['access-control-allow-methods', allowMethods],
    );
  }
  if (allowHeaders !== '') {
    headers.push(
      allowHeaders === shape.allowHeadersValue
        ? shape.allowHeadersHeader! // set whenever that value is not ''
        : ['access-control-allow-headers', allowHeaders],
    );
  }
  headers.push(shape.maxAgeHeader);
  if (privateNetwork) headers.push(PRIVATE_NETWORK_HEADER);
  return allowed('preflight', match.rule, reasons, headers);
}

/** Runs the preflight checks again, this time collecting every reason for the refusal. */
function refusePreflight(
  policy: CompiledPolicy,
  request: CorsRequest,
  match: OriginMatcher,
  origin: string,
): CorsDecision {
  const reasons = [matchedReason(origin, match)];
  let refusal: CorsRefusalReason | undefined;
  if (checkMethod(policy, request.accessControlRequestMethod ?? '', reasons) === undefined)
    refusal = 'method_not_allowed';
  if (checkRequestHeaders(policy, request.accessControlRequestHeaders, reasons) === undefined)
    refusal ??= 'header_not_allowed';
  if (request.accessControlRequestPrivateNetwork === true && !policy.allowPrivateNetwork) {
    reasons.push('private network access is not allowed');
    refusal ??= 'private_network_not_allowed';
  }
  return refuse(policy, 'preflight', PREFLIGHT_VARY, match.rule, refusal!, reasons);
}

function allowed(
  kind: 'actual' | 'preflight',
  matchedRule: OriginRule,
  reasons: readonly string[],
  headers: readonly CorsHeader[],
): CorsDecision {
  return {
    kind,
    allowed: true,
    block: false,
    matchedRule,
    reasons,
    headers,
    vary: kind === 'preflight' ? PREFLIGHT_VARY : ACTUAL_VARY,
  };
}

function refuse(
  policy: CompiledPolicy,
  kind: 'preflight' | 'actual',
  vary: string,
  matchedRule: OriginRule | undefined,
  refusal: CorsRefusalReason,
  reasons: readonly string[],
): CorsDecision {
  const block = policy.mode === 'enforce';
  // Two literals rather than a spread: copying the object was a fifth of a refused preflight.
  return matchedRule === undefined
    ? { kind, allowed: false, block, reasons, refusal, headers: NO_HEADERS, vary }
    : { kind, allowed: false, block, matchedRule, reasons, refusal, headers: NO_HEADERS, vary };
}
