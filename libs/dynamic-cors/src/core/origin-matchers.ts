import type { CorsDecision } from './decide.js';
import type { LinearPattern } from './linear-pattern.js';
import type { OriginRule } from './policy.js';
import { freezeAll, type CorsHeader, type PolicyShape } from './policy-shape.js';

/** What every compiled origin rule carries, to report a match. */
export interface OriginMatcher {
  readonly rule: OriginRule;
}

/** `https://*.example.com:8443` as `prefix` `https://` and `suffix` `.example.com:8443`. */
export interface WildcardOriginMatcher extends OriginMatcher {
  readonly prefix: string;
  readonly suffix: string;
}

/** A regex rule, compiled once for the linear-time matcher. */
export interface PatternOriginMatcher extends OriginMatcher {
  readonly pattern: LinearPattern;
}

/** How many origins' outcomes a policy's regex rules remember. */
const MAX_REMEMBERED_ORIGINS = 16;

/**
 * A policy's regex rules, remembering which rule the last few distinct origins matched: the
 * linear-time matcher costs about a microsecond per rule (about 15 times a backtracking
 * RegExp), while a tenant's traffic comes from few origins. Bounded: when full it starts over,
 * so an attacker sending endless distinct origins only pays the match itself.
 */
export class PatternOriginIndex {
  private readonly seen = new Map<string, PatternOriginMatcher | null>();

  constructor(private readonly matchers: readonly PatternOriginMatcher[]) {}

  /** The first rule matching a normalised origin. */
  find(origin: string): PatternOriginMatcher | undefined {
    const known = this.seen.get(origin);
    if (known !== undefined) return known ?? undefined;
    const found = this.matchers.find((matcher) => matcher.pattern.test(origin));
    if (this.seen.size >= MAX_REMEMBERED_ORIGINS) this.seen.clear();
    this.seen.set(origin, found ?? null);
    return found;
  }
}

/**
 * An exact rule. What an allowed actual request from this origin is answered with never
 * changes, so decide() keeps it here once built (its preflights reuse its reason and
 * Allow-Origin header). It is built on first use rather than at compile time: the strings and
 * arrays of an answer cost more than the rest of the rule, and many cached origins never see a
 * request (issue 6: memory per cached policy).
 */
export class ExactOriginMatcher implements OriginMatcher {
  /** The allowed actual-request decision for a request that sent {@link origin} as is. */
  allowedActual: CorsDecision | undefined = undefined;

  constructor(
    readonly rule: OriginRule,
    /** The normalised origin: the rule's own value, as rules are stored normalised. */
    readonly origin: string,
    private readonly shape: PolicyShape,
  ) {}

  /** Response headers of an allowed actual request that sent {@link origin} as is. */
  get actualHeaders(): readonly CorsHeader[] {
    return (
      this.allowedActual?.headers ??
      freezeAll([['access-control-allow-origin', this.origin], ...this.shape.actualTailHeaders])
    );
  }

  /** Why a request from this origin is allowed. */
  get allowedReasons(): readonly string[] {
    return this.allowedActual?.reasons ?? Object.freeze([matchedReason(this.origin, this)]);
  }
}

/** `origin <origin> matched rule <rule>`: the first reason of every matched request. */
export function matchedReason(origin: string, matcher: OriginMatcher): string {
  return `origin ${origin} matched rule ${matcher.rule.value}`;
}

/** Up to this many exact origins are scanned in an array; a Map costs ~180 bytes for one. */
const MAX_SCANNED_ORIGINS = 8;

/** Exact origins by normalised origin, as compact as their number allows. */
export type ExactOriginIndex =
  readonly ExactOriginMatcher[] | ReadonlyMap<string, ExactOriginMatcher>;

export function indexExactOrigins(byOrigin: Map<string, ExactOriginMatcher>): ExactOriginIndex {
  return byOrigin.size > MAX_SCANNED_ORIGINS ? byOrigin : Object.freeze([...byOrigin.values()]);
}

export function findExactOrigin(
  index: ExactOriginIndex,
  origin: string,
): ExactOriginMatcher | undefined {
  if (!Array.isArray(index)) return (index as ReadonlyMap<string, ExactOriginMatcher>).get(origin);
  for (const matcher of index as readonly ExactOriginMatcher[]) {
    if (matcher.origin === origin) return matcher;
  }
  return undefined;
}
