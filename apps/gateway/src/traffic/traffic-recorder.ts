import type { FastifyRequest } from 'fastify';
import type { CorsDecision, CorsTarget } from '#dynamic-cors';
import {
  MAX_REFUSAL_VARIANTS,
  type RefusalEntry,
  type RuleEntry,
  TenantWindow,
  TrafficWindow,
  type TupleEntry,
} from './traffic-window.js';

/** Bounds of one window; a flood of random origins fills them and is then only counted. */
export interface TrafficLimits {
  /** Distinct refusals plus tuples per tenant. */
  readonly perTenant: number;
  /** Distinct refusals plus tuples across tenants. */
  readonly total: number;
}

/** Longest origin, requested-header list or path recorded; longer ones are cut. */
export const MAX_RECORDED_LENGTH = 256;

/**
 * Aggregates the gateway's CORS decisions in memory until the flusher takes them (SPEC
 * "Traffic insight"). Called on the request path for every tenant decision, so it must cost
 * next to nothing: no await, no I/O, and for a request seen before in the window a few Map
 * lookups and increments with the strings the request already holds (one look-up, of its
 * tenant, for a request like its tenant's last). Requests without
 * cross-origin CORS (no Origin, same-origin, a disabled path) return at the first check.
 */
export class TrafficRecorder {
  private window: TrafficWindow;

  constructor(
    private readonly limits: TrafficLimits,
    /** Where the tenant's own path starts in the URL (after `/t/<slug>`). */
    private readonly tenantPathStart: (request: FastifyRequest, target: CorsTarget) => number,
    private readonly now: () => number = Date.now,
  ) {
    this.window = new TrafficWindow(now());
  }

  record(request: FastifyRequest, target: CorsTarget, decision: CorsDecision): void {
    const kind = decision.kind;
    if (kind !== 'actual' && kind !== 'preflight') return;
    const window = this.window;
    let tenant = window.tenants.get(target.tenantId);
    if (tenant === undefined) window.tenants.set(target.tenantId, (tenant = new TenantWindow(target.tenantId)));
    const headers = request.headers;
    // Present: decide() answers 'actual' and 'preflight' only for requests with an Origin.
    const origin = headers.origin!;
    const preflight = kind === 'preflight';
    const method = preflight ? (headers['access-control-request-method'] as string) : request.method;
    const requested = preflight ? ((headers['access-control-request-headers'] as string | undefined) ?? '') : '';
    if (preflight) tenant.preflights++;

    if (decision.allowed) tenant.allowed++;
    else this.refusal(request, target, tenant, decision, origin, method, requested);

    const ruleId = decision.matchedRule?.id;
    const last = tenant.lastCounted;
    if (
      last !== undefined &&
      last.origin === origin &&
      last.method === method &&
      last.requested === requested &&
      last.preflight === preflight &&
      last.ruleId === ruleId
    ) {
      // The tenant's usual request: its tuple and rule counted without looking them up. With
      // traffic spread over 1,000 tenants those Map look-ups (cache misses, mostly) cost some
      // 0.7 µs of a request (issue 13).
      last.tuple.count++;
      if (last.rule !== undefined) last.rule.count++;
      return;
    }
    const rule = ruleId === undefined ? undefined : this.countRule(target, ruleId);
    const tuple = this.tupleOf(tenant, preflight, origin, method, requested);
    if (tuple !== undefined) tuple.count++;
    else if (this.hasRoom(tenant)) this.addTuple(request, target, tenant, preflight, origin, method, requested);
    // An overlong origin is held under its cut value, so it is not found again and never kept.
    const counted = tuple ?? this.tupleOf(tenant, preflight, origin, method, requested);
    if (counted !== undefined) tenant.lastCounted = { origin, method, requested, preflight, ruleId, tuple: counted, rule };
  }

  /** The window so far, replaced by an empty one: for the flusher. */
  take(): TrafficWindow {
    const taken = this.window;
    this.window = new TrafficWindow(this.now());
    return taken;
  }

  private refusal(
    request: FastifyRequest,
    target: CorsTarget,
    tenant: TenantWindow,
    decision: CorsDecision,
    origin: string,
    method: string,
    requested: string,
  ): void {
    tenant.refused++;
    // Set whenever a decision is refused.
    const reason = decision.refusal!;
    tenant.refusedByReason.set(reason, (tenant.refusedByReason.get(reason) ?? 0) + 1);
    const key = bounded(origin);
    let byReason = tenant.refusals.get(key);
    let entry = byReason?.get(reason);
    if (entry === undefined) {
      if (!this.hasRoom(tenant)) return;
      entry = {
        origin: key,
        reason,
        mode: target.policy.mode,
        count: 0,
        methods: new Set(),
        requestHeaders: new Set(),
        samplePath: samplePath(request, this.tenantPathStart(request, target)),
      };
      if (byReason === undefined) tenant.refusals.set(key, (byReason = new Map()));
      byReason.set(reason, entry);
      this.counted(tenant);
    }
    entry.count++;
    entry.mode = target.policy.mode;
    addBounded(entry.methods, method);
    if (requested !== '') addBounded(entry.requestHeaders, requested);
  }

  private countRule(target: CorsTarget, ruleId: string): RuleEntry {
    const rules = this.window.rules;
    const rule = rules.get(ruleId);
    if (rule !== undefined) {
      rule.count++;
      return rule;
    }
    const added = { tenantId: target.tenantId, count: 1 };
    rules.set(ruleId, added);
    return added;
  }

  private tupleOf(tenant: TenantWindow, preflight: boolean, origin: string, method: string, requested: string): TupleEntry | undefined {
    return preflight ? tenant.preflight.get(origin)?.get(method)?.get(requested) : tenant.actual.get(origin)?.get(method);
  }

  private addTuple(
    request: FastifyRequest,
    target: CorsTarget,
    tenant: TenantWindow,
    preflight: boolean,
    origin: string,
    method: string,
    requested: string,
  ): void {
    const entry: TupleEntry = { count: 1, samplePath: samplePath(request, this.tenantPathStart(request, target)) };
    // Cut keys are looked up again under the cut value, so an overlong header costs one
    // allocation per request (refused traffic only: no rule matches such an origin).
    const originKey = bounded(origin);
    const methodKey = bounded(method);
    if (preflight) {
      let byMethod = tenant.preflight.get(originKey);
      if (byMethod === undefined) tenant.preflight.set(originKey, (byMethod = new Map()));
      let byHeaders = byMethod.get(methodKey);
      if (byHeaders === undefined) byMethod.set(methodKey, (byHeaders = new Map()));
      const headersKey = bounded(requested);
      const existing = byHeaders.get(headersKey);
      if (existing !== undefined) return void existing.count++;
      byHeaders.set(headersKey, entry);
    } else {
      let byMethod = tenant.actual.get(originKey);
      if (byMethod === undefined) tenant.actual.set(originKey, (byMethod = new Map()));
      const existing = byMethod.get(methodKey);
      if (existing !== undefined) return void existing.count++;
      byMethod.set(methodKey, entry);
    }
    this.counted(tenant);
  }

  private hasRoom(tenant: TenantWindow): boolean {
    if (tenant.entries < this.limits.perTenant && this.window.entries < this.limits.total) return true;
    this.window.dropped++;
    return false;
  }

  private counted(tenant: TenantWindow): void {
    tenant.entries++;
    this.window.entries++;
  }
}

/**
 * `value` cut to {@link MAX_RECORDED_LENGTH}, copied so that the cut string does not keep the
 * whole header alive (V8 slices share their parent's characters).
 */
function bounded(value: string): string {
  return value.length <= MAX_RECORDED_LENGTH ? value : Buffer.from(value.slice(0, MAX_RECORDED_LENGTH)).toString();
}

function addBounded(set: Set<string>, value: string): void {
  if (set.size < MAX_REFUSAL_VARIANTS || set.has(value)) set.add(value.length <= MAX_RECORDED_LENGTH ? value : bounded(value));
}

/** The request path after the tenant prefix, query cut: SPEC "samplePath". */
function samplePath(request: FastifyRequest, start: number): string {
  const url = request.url;
  const query = url.indexOf('?', start);
  const path = url.slice(start, query === -1 ? url.length : query);
  return bounded(path === '' ? '/' : path);
}
