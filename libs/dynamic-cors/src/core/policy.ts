/**
 * Whether a policy refuses requests (`enforce`) or only decides and reports (`report-only`).
 */
export type PolicyMode = 'enforce' | 'report-only';

/**
 * How an origin rule matches: one exact origin, a subdomain wildcard, an anchored regular
 * expression, or any origin.
 */
export type OriginRuleKind = 'exact' | 'wildcard' | 'regex' | 'any';

/**
 * One allowed-origin rule, already normalised by {@link parseOriginRule}.
 *
 * `value` is `https://app.example.com` (exact), `https://*.example.com` (wildcard),
 * a regex source such as `^https://[a-z]+\.example\.com$` (regex), `*` (any) or the literal
 * `null` (exact).
 */
export interface OriginRule {
  readonly id?: string;
  readonly kind: OriginRuleKind;
  readonly value: string;
  /** When the rule stops matching; unset: never. {@link compilePolicy} leaves out expired rules. */
  readonly expiresAt?: Date;
}

/**
 * A path rule (SPEC "Policy depth"): on request paths that match `path` (a literal path,
 * `*` for one segment, a trailing `/**` for any rest; see `parsePathPattern`), each field it
 * sets replaces the policy's. `disabled: true` turns CORS processing off on those paths.
 */
export interface PathRule {
  readonly path: string;
  readonly origins?: readonly OriginRule[];
  readonly allowedMethods?: readonly string[];
  readonly allowedHeaders?: readonly string[];
  readonly exposedHeaders?: readonly string[];
  readonly allowCredentials?: boolean;
  readonly maxAge?: number;
  readonly disabled?: boolean;
}

/**
 * A tenant's CORS policy as stored and edited by an administrator.
 */
export interface CorsPolicy {
  readonly origins: readonly OriginRule[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposedHeaders: readonly string[];
  readonly allowCredentials: boolean;
  /** Preflight cache lifetime in seconds (0..86400). */
  readonly maxAge: number;
  readonly allowPrivateNetwork: boolean;
  readonly mode: PolicyMode;
  /** Status of an answered preflight: 204 (the default) or 200 for old clients. */
  readonly preflightStatus?: 200 | 204;
  /** Adds `Timing-Allow-Origin: <origin>` to allowed actual responses. */
  readonly timingAllowOrigin?: boolean;
  /**
   * Every tenant response carries `CORS-Decision: allowed|refused; reason=<code>[; rule=<id>]`
   * (SPEC "Traffic insight"): opt-in, since it tells any caller why it was refused.
   */
  readonly debugHeader?: boolean;
  /** Ordered; the first rule matching the request path applies. None: the policy applies. */
  readonly pathRules?: readonly PathRule[];
}

/**
 * The product defaults: no cross-origin access until an origin is added; once one is,
 * simple and JSON requests work.
 */
export const DEFAULT_POLICY: CorsPolicy = Object.freeze({
  origins: Object.freeze([]),
  allowedMethods: Object.freeze(['GET', 'HEAD', 'POST']),
  allowedHeaders: Object.freeze(['Content-Type']),
  exposedHeaders: Object.freeze([]),
  allowCredentials: false,
  maxAge: 600,
  allowPrivateNetwork: false,
  mode: 'enforce',
});
