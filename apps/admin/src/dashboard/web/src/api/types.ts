// The admin REST API's resources as the dashboard reads them (see /docs for the full contract).

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface Tenant {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly hostnames: readonly string[];
  readonly upstreamUrl: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type PolicyMode = 'enforce' | 'report-only';

/** An origin rule in a path rule: a string (origin, wildcard, `*`) or a regex. */
export type PathRuleOrigin = string | { readonly pattern: string; readonly type: 'regex' };

/** A path rule; each field it leaves out is the policy's. */
export interface PathRule {
  readonly path: string;
  readonly origins?: readonly PathRuleOrigin[];
  readonly allowedMethods?: readonly string[];
  readonly allowedHeaders?: readonly string[];
  readonly exposedHeaders?: readonly string[];
  readonly allowCredentials?: boolean;
  readonly maxAge?: number;
  readonly disabled?: boolean;
}

/** The editable policy fields. */
export interface PolicyFields {
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposedHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAge: number;
  readonly allowPrivateNetwork: boolean;
  readonly mode: PolicyMode;
  readonly pathRules: readonly PathRule[];
  readonly preflightStatus: 200 | 204;
  readonly timingAllowOrigin: boolean;
  /** Tenant responses carry `CORS-Decision` (reason codes and rule ids). */
  readonly debugHeader: boolean;
}

export interface Policy extends PolicyFields {
  /** Increases with every change; sent back as `If-Match: "<version>"`. */
  readonly version: number;
  readonly updatedAt: string;
  /** What browsers will not honour, such as a max age above Chromium's 7200 s. */
  readonly warnings: readonly string[];
}

export type OriginRuleKind = 'exact' | 'wildcard' | 'regex' | 'any';

export interface OriginRule {
  readonly id: string;
  readonly kind: OriginRuleKind;
  /** The normalised rule, as the gateway matches it. */
  readonly value: string;
  readonly createdAt: string;
  /** When the rule stops (or stopped) matching; null: never. */
  readonly expiresAt: string | null;
  /** Whether `expiresAt` has passed: gateways no longer match it. */
  readonly expired: boolean;
  readonly note: string | null;
  /** When a request last matched it (null: never), and how many did. */
  readonly lastMatchedAt: string | null;
  readonly matchCount: number;
}

/** The lists that are not paginated (origins, API keys). */
export interface ItemList<T> {
  readonly items: readonly T[];
}

/** What `POST`/`PUT .../origins` take for one rule. */
export type OriginRuleInput = { readonly origin: string } | { readonly pattern: string; readonly type: 'regex' };

/** A rule with its optional expiry (ISO, in the future) and note. */
export type OriginRuleRequest = OriginRuleInput & { readonly expiresAt?: string; readonly note?: string };

/** One version of the tenant's CORS configuration in the history list. */
export interface VersionItem {
  readonly version: number;
  readonly createdAt: string;
  readonly actor: string;
  readonly summary: string;
}

/** An origin rule as a version recorded it. */
export interface VersionOrigin {
  readonly kind: OriginRuleKind;
  readonly value: string;
  readonly expiresAt: string | null;
  readonly note: string | null;
}

/** What going from version `against` to `version` changes. */
export interface VersionDiff {
  readonly version: number;
  readonly against: number;
  readonly fields: {
    readonly added: readonly { readonly field: string; readonly after: unknown }[];
    readonly removed: readonly { readonly field: string; readonly before: unknown }[];
    readonly changed: readonly { readonly field: string; readonly before: unknown; readonly after: unknown }[];
  };
  readonly origins: {
    readonly added: readonly VersionOrigin[];
    readonly removed: readonly VersionOrigin[];
    readonly changed: readonly { readonly value: string; readonly before: VersionOrigin; readonly after: VersionOrigin }[];
  };
}

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  /** The public part of the key: `cmk_<prefix>_…`, and `key:<prefix>` in the audit log. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** The answer to creating a key: the only time its secret is shown. */
export interface CreatedApiKey extends ApiKey {
  readonly secret: string;
}

export interface AuditEvent {
  readonly id: string;
  readonly actor: string;
  readonly action: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly createdAt: string;
}

export interface CheckRequest {
  readonly origin: string;
  readonly method: string;
  readonly requestHeaders?: readonly string[];
  readonly credentials?: boolean;
  readonly privateNetwork?: boolean;
}

/** What the gateway would answer to such a request, and why. */
export interface CheckResult {
  readonly allowed: boolean;
  readonly kind: 'preflight' | 'actual';
  readonly mode: PolicyMode;
  /** Refused with 403 by the gateway (refused in enforce mode). */
  readonly blocked: boolean;
  readonly matchedRule?: { readonly id?: string; readonly kind: OriginRuleKind; readonly value: string };
  readonly reasons: readonly string[];
  /** Lower-case header names, `vary` included. */
  readonly headers: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
  readonly policyVersion: number;
}

export type RefusalReason =
  | 'origin_not_listed'
  | 'method_not_allowed'
  | 'header_not_allowed'
  | 'credentials_not_allowed'
  | 'private_network_not_allowed'
  | 'malformed_origin'
  | 'null_origin';

/** Refused requests of one (origin, reason), summed over every gateway. */
export interface Refusal {
  readonly id: string;
  readonly origin: string;
  readonly reason: RefusalReason;
  readonly mode: PolicyMode;
  readonly count: number;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly methods: readonly string[];
  readonly requestHeaders: readonly string[];
  readonly samplePath: string;
}

export type TrafficWindow = '1h' | '24h' | '7d';

export interface Traffic {
  readonly window: TrafficWindow;
  readonly bucketSeconds: number;
  readonly buckets: readonly { readonly start: string; readonly allowed: number; readonly refused: number; readonly preflights: number }[];
  readonly refusedByReason: Readonly<Partial<Record<RefusalReason, number>>>;
}

export interface PreviewItem {
  readonly origin: string;
  readonly method: string;
  readonly requestHeaders: readonly string[];
  readonly count: number;
  readonly lastSeenAt: string;
  readonly reason?: RefusalReason;
}

/** What a proposed change would do to the last 7 days of traffic. */
export interface PolicyPreview {
  readonly wouldRefuse: readonly PreviewItem[];
  readonly wouldAllow: readonly PreviewItem[];
  readonly replayed: number;
}
