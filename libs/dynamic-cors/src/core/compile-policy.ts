import { compileLinearPattern } from './linear-pattern.js';
import { parseRequestOrigin } from './origin.js';
import {
  ExactOriginMatcher,
  findExactOrigin,
  indexExactOrigins,
  PatternOriginIndex,
  type ExactOriginIndex,
  type OriginMatcher,
  type PatternOriginMatcher,
  type WildcardOriginMatcher,
} from './origin-matchers.js';
import type { CorsPolicy } from './policy.js';
import { compilePathRules, type CompiledPathRule } from './path-rules.js';
import { EMPTY, shapeOf, type CorsHeader, type PolicyShape } from './policy-shape.js';

export type { CorsHeader } from './policy-shape.js';
export type {
  ExactOriginMatcher,
  OriginMatcher,
  PatternOriginMatcher,
  WildcardOriginMatcher,
} from './origin-matchers.js';

/**
 * A policy prepared once per version so that {@link decide} does no parsing, no regex
 * compilation and no joining on the allowed path.
 *
 * Its origin rules are its own; its other settings (the fields shared with {@link PolicyShape})
 * are one object shared by every policy with the same settings.
 */
export interface CompiledPolicy
  extends Pick<
    PolicyShape,
    | 'mode'
    | 'allowCredentials'
    | 'allowPrivateNetwork'
    | 'allowedMethods'
    | 'anyMethod'
    | 'allowedHeaders'
    | 'anyHeader'
    | 'allowMethodsValue'
    | 'allowHeadersValue'
    | 'exposeHeadersValue'
    | 'maxAgeValue'
    | 'preflightStatus'
    | 'timingAllowOrigin'
    | 'debugHeader'
    | 'actualTailHeaders'
    | 'anyOriginActualHeaders'
  > {
  readonly hasOrigins: boolean;
  /**
   * Normalised origin (or `null`) → rule, for inspection: built on each read. {@link decide}
   * uses {@link exactOrigin}.
   */
  readonly exactOrigins: ReadonlyMap<string, ExactOriginMatcher>;
  readonly wildcards: readonly WildcardOriginMatcher[];
  readonly patterns: readonly PatternOriginMatcher[];
  /** The first regex rule matching a normalised origin, in time linear in its length. */
  findPattern(origin: string): PatternOriginMatcher | undefined;
  /** The `*` rule; never set when credentials are allowed. */
  readonly anyOrigin: OriginMatcher | undefined;
  /** The settings shared with other policies (see {@link PolicyShape}). */
  readonly shape: PolicyShape;
  /** Rules or entries left out because they could not be used, with why. */
  readonly warnings: readonly string[];
  /** The path rules, in order; `undefined` when the policy has none (see `matchPathRule`). */
  readonly pathRules: readonly CompiledPathRule[] | undefined;
  /** The exact rule for a normalised origin. */
  exactOrigin(origin: string): ExactOriginMatcher | undefined;
  /**
   * When the earliest of its origin rules that has an `expiresAt` expires (milliseconds since
   * the epoch); `Infinity` when none does. From then on this compiled policy is out of date:
   * compile the policy again (a cache compares this one number, see the gateway's policy cache).
   */
  readonly nextExpiry: number;
}

/**
 * Compiles a policy as it applies at `now` (milliseconds since the epoch): origin rules whose
 * `expiresAt` is not after `now` are left out, and the earliest later expiry is kept as
 * {@link CompiledPolicy.nextExpiry}. Rules are expected to come from {@link parseOriginRule} and
 * {@link validatePolicy}; anything stored that is not usable anyway is left out with a warning
 * rather than thrown, so one bad row cannot take a tenant down, and the output never breaks
 * the "no `*` with credentials" guarantee.
 *
 * The result keeps none of `policy` but its origin rules (reported as a decision's
 * `matchedRule`).
 */
export function compilePolicy(policy: CorsPolicy, now: number = Date.now()): CompiledPolicy {
  const shape = shapeOf(policy);
  const warnings: string[] = [];
  const exactOrigins = new Map<string, ExactOriginMatcher>();
  const wildcards: WildcardOriginMatcher[] = [];
  const patterns: PatternOriginMatcher[] = [];
  let anyOrigin: OriginMatcher | undefined;
  let nextExpiry = Infinity;
  let liveRules = 0;
  for (const rule of policy.origins) {
    if (rule.expiresAt !== undefined) {
      const expiry = rule.expiresAt.getTime();
      if (!(expiry > now)) continue;
      if (expiry < nextExpiry) nextExpiry = expiry;
    }
    liveRules++;
    switch (rule.kind) {
      case 'exact': {
        const origin = parseRequestOrigin(rule.value);
        if (origin === null) {
          warnings.push(`exact rule ${rule.value} ignored: not a valid origin`);
        } else if (!exactOrigins.has(origin)) {
          exactOrigins.set(origin, new ExactOriginMatcher(rule, origin, shape));
        }
        break;
      }
      case 'wildcard': {
        const wildcard = compileWildcard(rule.value);
        if (wildcard === undefined) {
          warnings.push(
            `wildcard rule ${rule.value} ignored: not of the form https://*.example.com`,
          );
        } else {
          wildcards.push({ rule, ...wildcard });
        }
        break;
      }
      case 'regex': {
        const compiled = compileLinearPattern(anchored(rule.value));
        if (!compiled.ok) warnings.push(`regex rule ${rule.value} ignored: ${compiled.reason}`);
        else patterns.push({ rule, pattern: compiled.pattern });
        break;
      }
      case 'any':
        // Refused by validatePolicy; if stored anyway, reflecting every origin with credentials
        // is the classic CORS hole, so the rule is dropped rather than honoured.
        if (shape.allowCredentials)
          warnings.push('origin * ignored: it cannot be combined with allowCredentials');
        else anyOrigin ??= { rule };
        break;
    }
  }
  const pathWarnings: string[] = [];
  const pathRules = compilePathRules(policy, (effective) => compilePolicy(effective, now), pathWarnings);
  const allWarnings =
    warnings.length + shape.warningsBefore.length + shape.warningsAfter.length + pathWarnings.length === 0
      ? EMPTY
      : Object.freeze([...shape.warningsBefore, ...warnings, ...shape.warningsAfter, ...pathWarnings]);
  return new CompiledCorsPolicy(
    shape,
    liveRules > 0,
    indexExactOrigins(exactOrigins),
    wildcards.length === 0 ? EMPTY : Object.freeze(wildcards),
    patterns.length === 0 ? EMPTY : Object.freeze(patterns),
    anyOrigin,
    allWarnings,
    pathRules,
    nextExpiry,
  );
}

/** Every compiled policy: its own rules, the rest read through the shared shape. */
class CompiledCorsPolicy implements CompiledPolicy {
  private readonly patternIndex: PatternOriginIndex | undefined;

  constructor(
    readonly shape: PolicyShape,
    readonly hasOrigins: boolean,
    private readonly exact: ExactOriginIndex,
    readonly wildcards: readonly WildcardOriginMatcher[],
    readonly patterns: readonly PatternOriginMatcher[],
    readonly anyOrigin: OriginMatcher | undefined,
    readonly warnings: readonly string[],
    readonly pathRules: readonly CompiledPathRule[] | undefined,
    readonly nextExpiry: number,
  ) {
    this.patternIndex = patterns.length === 0 ? undefined : new PatternOriginIndex(patterns);
    Object.freeze(this);
  }

  findPattern(origin: string): PatternOriginMatcher | undefined {
    return this.patternIndex?.find(origin);
  }

  exactOrigin(origin: string): ExactOriginMatcher | undefined {
    return findExactOrigin(this.exact, origin);
  }

  get exactOrigins(): ReadonlyMap<string, ExactOriginMatcher> {
    const exact = this.exact;
    return Array.isArray(exact)
      ? new Map((exact as readonly ExactOriginMatcher[]).map((m) => [m.origin, m]))
      : (exact as ReadonlyMap<string, ExactOriginMatcher>);
  }

  get mode() {
    return this.shape.mode;
  }
  get allowCredentials() {
    return this.shape.allowCredentials;
  }
  get allowPrivateNetwork() {
    return this.shape.allowPrivateNetwork;
  }
  get allowedMethods() {
    return this.shape.allowedMethods;
  }
  get anyMethod() {
    return this.shape.anyMethod;
  }
  get allowedHeaders() {
    return this.shape.allowedHeaders;
  }
  get anyHeader() {
    return this.shape.anyHeader;
  }
  get allowMethodsValue() {
    return this.shape.allowMethodsValue;
  }
  get allowHeadersValue() {
    return this.shape.allowHeadersValue;
  }
  get exposeHeadersValue() {
    return this.shape.exposeHeadersValue;
  }
  get maxAgeValue() {
    return this.shape.maxAgeValue;
  }
  get preflightStatus() {
    return this.shape.preflightStatus;
  }
  get timingAllowOrigin() {
    return this.shape.timingAllowOrigin;
  }
  get debugHeader() {
    return this.shape.debugHeader;
  }
  get actualTailHeaders() {
    return this.shape.actualTailHeaders;
  }
  get anyOriginActualHeaders() {
    return this.shape.anyOriginActualHeaders;
  }
}

/**
 * Splits `https://*.example.com:8443` into `https://` and `.example.com:8443`, normalised. The
 * suffix is cut from the rule's own value when that is normalised already (rules are stored
 * normalised), so that it shares the value's characters rather than copying them.
 */
function compileWildcard(value: string): { prefix: string; suffix: string } | undefined {
  const match = /^(https?:\/\/)\*(\.[^*]+)$/.exec(value);
  if (match === null) return undefined;
  const prefix = match[1] === 'https://' ? 'https://' : 'http://';
  const base = parseRequestOrigin(`${prefix}${match[2]!.slice(1)}`);
  if (base === null) return undefined;
  const host = base.slice(prefix.length);
  // `value` is `<prefix>*.<host>` when its host needed no normalising.
  const suffix = match[2]!.slice(1) === host ? value.slice(prefix.length + 1) : `.${host}`;
  return { prefix, suffix };
}

/**
 * A regex rule's source anchored at both ends whatever it says, so that a stored pattern that
 * skipped validation still cannot match a substring of an origin.
 */
function anchored(source: string): string {
  const inner =
    source.startsWith('^') && source.endsWith('$') && !source.endsWith('\\$')
      ? source.slice(1, -1)
      : source;
  return `^(?:${inner})$`;
}
