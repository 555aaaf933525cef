import { isHttpToken, normaliseMethod } from './http-token.js';
import { parseRequestOrigin } from './origin.js';
import type { CorsPolicy, OriginRule, PolicyMode } from './policy.js';
import { MAX_MAX_AGE } from './validate-policy.js';

/** A response header as `[lower-case name, value]`. */
export type CorsHeader = readonly [name: string, value: string];

/** What every compiled origin rule carries, to report a match. */
export interface OriginMatcher {
  readonly rule: OriginRule;
  /** `" matched rule <value>"`, appended to the origin to explain a match. */
  readonly matchedSuffix: string;
}

/** An exact rule with the response headers of an allowed actual request precomputed. */
export interface ExactOriginMatcher extends OriginMatcher {
  readonly origin: string;
  readonly actualHeaders: readonly CorsHeader[];
  readonly allowedReasons: readonly string[];
}

/** `https://*.example.com:8443` as `prefix` `https://` and `suffix` `.example.com:8443`. */
export interface WildcardOriginMatcher extends OriginMatcher {
  readonly prefix: string;
  readonly suffix: string;
}

/** A regex rule, compiled once. */
export interface PatternOriginMatcher extends OriginMatcher {
  readonly regex: RegExp;
}

/**
 * A policy prepared once per version so that {@link decide} does no parsing, no regex
 * compilation and no joining on the allowed path.
 */
export interface CompiledPolicy {
  readonly source: CorsPolicy;
  readonly mode: PolicyMode;
  readonly allowCredentials: boolean;
  readonly allowPrivateNetwork: boolean;
  readonly hasOrigins: boolean;
  /** Normalised origin (or `null`) → rule. */
  readonly exactOrigins: ReadonlyMap<string, ExactOriginMatcher>;
  readonly wildcards: readonly WildcardOriginMatcher[];
  readonly patterns: readonly PatternOriginMatcher[];
  /** The `*` rule; never set when credentials are allowed. */
  readonly anyOrigin: OriginMatcher | undefined;
  /** Allowed methods, normalised (see {@link normaliseMethod}), without `*`. */
  readonly allowedMethods: ReadonlySet<string>;
  readonly anyMethod: boolean;
  /** Allowed request header names, lower-case, without `*`. */
  readonly allowedHeaders: ReadonlySet<string>;
  readonly anyHeader: boolean;
  /** `Access-Control-Allow-Methods` value; `''` means omit. */
  readonly allowMethodsValue: string;
  /** `Access-Control-Allow-Headers` value when no header is requested; `''` means omit. */
  readonly allowHeadersValue: string;
  /** `Access-Control-Expose-Headers` value; `''` means omit. */
  readonly exposeHeadersValue: string;
  readonly maxAgeValue: string;
  /** Headers every allowed actual request carries besides Allow-Origin. */
  readonly actualTailHeaders: readonly CorsHeader[];
  /** Headers of an allowed actual request matched by `*` (Allow-Origin `*`). */
  readonly anyOriginActualHeaders: readonly CorsHeader[];
  /** Rules or entries left out because they could not be used, with why. */
  readonly warnings: readonly string[];
}

/**
 * Compiles a policy. Rules are expected to come from {@link parseOriginRule} and
 * {@link validatePolicy}; anything stored that is not usable anyway is left out with a warning
 * rather than thrown, so one bad row cannot take a tenant down, and the output never breaks
 * the "no `*` with credentials" guarantee.
 */
export function compilePolicy(policy: CorsPolicy): CompiledPolicy {
  const warnings: string[] = [];
  const credentials = policy.allowCredentials;

  const exposed = uniqueTokens(policy.exposedHeaders, 'exposed header', warnings, (h) =>
    h.toLowerCase(),
  );
  if (credentials && exposed.includes('*')) {
    warnings.push('exposed header * ignored: it is a literal name when credentials are allowed');
  }
  const exposeHeadersValue = exposed.filter((h) => !(credentials && h === '*')).join(', ');
  const actualTailHeaders: CorsHeader[] = [];
  if (credentials) actualTailHeaders.push(['access-control-allow-credentials', 'true']);
  if (exposeHeadersValue !== '')
    actualTailHeaders.push(['access-control-expose-headers', exposeHeadersValue]);
  freezeAll(actualTailHeaders);

  const exactOrigins = new Map<string, ExactOriginMatcher>();
  const wildcards: WildcardOriginMatcher[] = [];
  const patterns: PatternOriginMatcher[] = [];
  let anyOrigin: OriginMatcher | undefined;
  for (const rule of policy.origins) {
    const matchedSuffix = ` matched rule ${rule.value}`;
    switch (rule.kind) {
      case 'exact': {
        const origin = parseRequestOrigin(rule.value);
        if (origin === null) {
          warnings.push(`exact rule ${rule.value} ignored: not a valid origin`);
        } else if (!exactOrigins.has(origin)) {
          const actualHeaders = freezeAll([
            ['access-control-allow-origin', origin],
            ...actualTailHeaders,
          ]);
          const allowedReasons = Object.freeze([`origin ${origin}${matchedSuffix}`]);
          exactOrigins.set(origin, { rule, matchedSuffix, origin, actualHeaders, allowedReasons });
        }
        break;
      }
      case 'wildcard': {
        const match = /^(https?:\/\/)\*(\.[^*]+)$/.exec(rule.value);
        const base = match === null ? null : parseRequestOrigin(`${match[1]}${match[2]!.slice(1)}`);
        if (match === null || base === null) {
          warnings.push(
            `wildcard rule ${rule.value} ignored: not of the form https://*.example.com`,
          );
        } else {
          wildcards.push({
            rule,
            matchedSuffix,
            prefix: match[1]!,
            suffix: `.${base.slice(match[1]!.length)}`,
          });
        }
        break;
      }
      case 'regex': {
        const regex = compileAnchored(rule.value);
        if (typeof regex === 'string') warnings.push(`regex rule ${rule.value} ignored: ${regex}`);
        else patterns.push({ rule, matchedSuffix, regex });
        break;
      }
      case 'any':
        // Refused by validatePolicy; if stored anyway, reflecting every origin with credentials
        // is the classic CORS hole, so the rule is dropped rather than honoured.
        if (credentials)
          warnings.push('origin * ignored: it cannot be combined with allowCredentials');
        else anyOrigin ??= { rule, matchedSuffix };
        break;
    }
  }

  const methods = uniqueTokens(policy.allowedMethods, 'method', warnings, normaliseMethod);
  const anyMethod = methods.includes('*');
  const explicitMethods = methods.filter((m) => m !== '*');
  // With credentials `*` is a literal method name to the browser
  // (https://fetch.spec.whatwg.org/#cors-preflight-fetch), so decide echoes the method instead.
  const allowMethodsValue = anyMethod && !credentials ? '*' : explicitMethods.join(', ');

  const headers = uniqueTokens(policy.allowedHeaders, 'header', warnings, (h) => h.toLowerCase());
  const anyHeader = headers.includes('*');
  const explicitHeaders = headers.filter((h) => h !== '*');
  const allowHeadersValue = (credentials ? explicitHeaders : headers).join(', ');

  const maxAge = Number.isInteger(policy.maxAge)
    ? Math.min(Math.max(policy.maxAge, 0), MAX_MAX_AGE)
    : 0;
  if (maxAge !== policy.maxAge) warnings.push(`maxAge ${policy.maxAge} replaced by ${maxAge}`);

  return Object.freeze({
    source: policy,
    mode: policy.mode === 'report-only' ? 'report-only' : 'enforce',
    allowCredentials: credentials,
    allowPrivateNetwork: policy.allowPrivateNetwork,
    hasOrigins: policy.origins.length > 0,
    exactOrigins,
    wildcards: Object.freeze(wildcards),
    patterns: Object.freeze(patterns),
    anyOrigin,
    allowedMethods: new Set(explicitMethods),
    anyMethod,
    allowedHeaders: new Set(explicitHeaders.map((h) => h.toLowerCase())),
    anyHeader,
    allowMethodsValue,
    allowHeadersValue,
    exposeHeadersValue,
    maxAgeValue: String(maxAge),
    actualTailHeaders,
    anyOriginActualHeaders: freezeAll([['access-control-allow-origin', '*'], ...actualTailHeaders]),
    warnings: Object.freeze(warnings),
  });
}

/**
 * Compiles a regex rule anchored at both ends whatever its source says, so that a stored
 * pattern that skipped validation still cannot match a substring of an origin.
 */
function compileAnchored(source: string): RegExp | string {
  const inner =
    source.startsWith('^') && source.endsWith('$') && !source.endsWith('\\$')
      ? source.slice(1, -1)
      : source;
  try {
    return new RegExp(`^(?:${inner})$`);
  } catch (error) {
    // Reported to the caller as a compile warning; the rule simply does not match.
    return (error as Error).message;
  }
}

/** Keeps valid tokens (and `*`), unique by `key`, in their first-seen spelling. */
function uniqueTokens(
  values: readonly string[],
  noun: string,
  warnings: string[],
  key: (value: string) => string,
): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const value of values) {
    if (typeof value !== 'string' || !isHttpToken(value)) {
      warnings.push(`${noun} ${JSON.stringify(value)} ignored: not a valid HTTP token`);
      continue;
    }
    const k = key(value);
    if (seen.has(k)) continue;
    seen.add(k);
    kept.push(noun === 'method' ? k : value);
  }
  return kept;
}

function freezeAll(headers: CorsHeader[]): readonly CorsHeader[] {
  for (const header of headers) Object.freeze(header);
  return Object.freeze(headers);
}
