import type { CorsRefusalReason, PolicyMode } from '#dynamic-cors';

/** Methods and requested-header lists kept per refusal: enough to see the pattern, bounded. */
export const MAX_REFUSAL_VARIANTS = 16;

/** One refused (origin, reason) in a window. */
export interface RefusalEntry {
  readonly origin: string;
  readonly reason: CorsRefusalReason;
  mode: PolicyMode;
  count: number;
  /** Request methods (actual) or requested methods (preflight), raw as sent. */
  readonly methods: Set<string>;
  /** Raw `Access-Control-Request-Headers` values. */
  readonly requestHeaders: Set<string>;
  readonly samplePath: string;
}

/** One distinct (origin, method, requested headers) in a window. */
export interface TupleEntry {
  count: number;
  readonly samplePath: string;
}

/** A tenant's tuple counted last, with the rule its origin matched: what its next request most likely counts again. */
export interface CountedTuple {
  readonly origin: string;
  readonly method: string;
  readonly requested: string;
  readonly preflight: boolean;
  readonly ruleId: string | undefined;
  readonly tuple: TupleEntry;
  readonly rule: RuleEntry | undefined;
}

/** One origin rule's matches in a window. */
export interface RuleEntry {
  readonly tenantId: string;
  count: number;
}

/**
 * What one tenant's gateway traffic was in one flush window. Keyed by the header strings the
 * request already holds (nested maps rather than a joined key), so that counting a request
 * seen before in the window allocates nothing.
 */
export class TenantWindow {
  allowed = 0;
  refused = 0;
  preflights = 0;
  readonly refusedByReason = new Map<CorsRefusalReason, number>();
  /** origin → reason → entry. */
  readonly refusals = new Map<string, Map<CorsRefusalReason, RefusalEntry>>();
  /** Actual requests: origin → method → entry. */
  readonly actual = new Map<string, Map<string, TupleEntry>>();
  /** Preflights: origin → requested method → raw requested headers ('' for none) → entry. */
  readonly preflight = new Map<string, Map<string, Map<string, TupleEntry>>>();
  /** Distinct refusals and tuples held, against the per-tenant cap. */
  entries = 0;
  /** Set once a tuple is held; never outlives the window, whose entries are never removed. */
  lastCounted: CountedTuple | undefined = undefined;

  constructor(readonly tenantId: string) {}
}

/** Everything recorded between two flushes, and what the bounds made it leave out. */
export class TrafficWindow {
  readonly tenants = new Map<string, TenantWindow>();
  /** Rule id → matches. Bounded by the rules of the cached policies. */
  readonly rules = new Map<string, RuleEntry>();
  /** Distinct refusals and tuples held, across tenants. */
  entries = 0;
  /** New refusals or tuples not kept because a cap was reached (counted, never stored). */
  dropped = 0;

  constructor(readonly startedAt: number) {}

  get isEmpty(): boolean {
    return this.tenants.size === 0 && this.rules.size === 0 && this.dropped === 0;
  }
}
