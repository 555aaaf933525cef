import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type CorsDecision, type CorsRefusalReason, REFUSAL_REASONS } from '#dynamic-cors';
import type { PolicyCacheEvents, PolicyChangeListenerEvents } from '#dynamic-cors/postgres';
import type { TrafficFlushEvents } from '../traffic/traffic-flusher.js';

type Outcome = 'allowed' | 'refused' | 'reported';

const KINDS = ['preflight', 'actual', 'same-origin', 'no-origin', 'disabled'] as const satisfies readonly CorsDecision['kind'][];
const OUTCOMES = ['allowed', 'refused', 'reported'] as const satisfies readonly Outcome[];

/**
 * The gateway's Prometheus metrics, in a registry of its own (two gateways in one process,
 * as in tests, must not share counters).
 *
 * The per-request counters (decisions, cache hits and misses) are plain numbers that the
 * request path increments; prom-client reads them only when `/metrics` is scraped (`collect`).
 * Incrementing a prom-client counter hashes its labels into a new string and allocates on
 * every call, which profiling showed on the hot path (issue 6).
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly cacheEvents: PolicyCacheEvents;
  readonly listenerEvents: PolicyChangeListenerEvents;
  readonly trafficEvents: TrafficFlushEvents;
  private readonly refusals: Record<CorsRefusalReason, number>;
  private readonly decisions: Record<CorsDecision['kind'], Record<Outcome, number>>;
  private readonly invalidations: Counter;
  private readonly reads: Counter;

  constructor() {
    const decisions = (this.decisions = Object.fromEntries(
      KINDS.map((kind) => [kind, { allowed: 0, refused: 0, reported: 0 }]),
    ) as GatewayMetrics['decisions']);
    new Counter({
      name: 'corsmesh_cors_decisions_total',
      help: 'Tenant requests by CORS situation (kind) and outcome (allowed; refused; reported = refused in report-only mode)',
      labelNames: ['kind', 'outcome'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const kind of KINDS) for (const outcome of OUTCOMES) if (decisions[kind][outcome] > 0) this.labels(kind, outcome).inc(decisions[kind][outcome]);
      },
    });
    // By reason, with no tenant label: one series per reason whatever the number of tenants.
    const refusals = (this.refusals = Object.fromEntries(REFUSAL_REASONS.map((reason) => [reason, 0])) as Record<CorsRefusalReason, number>);
    new Counter({
      name: 'corsmesh_cors_refusals_total',
      help: 'Refused tenant requests (enforced or reported) by reason code',
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const reason of REFUSAL_REASONS) if (refusals[reason] > 0) this.labels(reason).inc(refusals[reason]);
      },
    });
    const cache = { hits: 0, misses: 0, evictions: 0 };
    const counted = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    counted('corsmesh_policy_cache_hits_total', 'Policy look-ups answered from the in-process cache', () => cache.hits);
    counted('corsmesh_policy_cache_misses_total', 'Policy look-ups that went to PostgreSQL', () => cache.misses);
    counted('corsmesh_policy_cache_evictions_total', 'Policies evicted to make room (cache full)', () => cache.evictions);
    this.invalidations = new Counter({
      name: 'corsmesh_policy_invalidations_total',
      help: 'Policy change notices received from PostgreSQL',
      registers: [this.registry],
    });
    this.reads = new Counter({
      name: 'corsmesh_policy_reads_total',
      help: 'Statements that read tenant policies from PostgreSQL (concurrent cache misses share one)',
      registers: [this.registry],
    });
    const lookups = new Histogram({
      name: 'corsmesh_policy_lookup_seconds',
      help: 'Time a cache miss waited for its tenant policy from PostgreSQL (the statement of its batch)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [this.registry],
    });
    const listener = { lastHeartbeatAt: performance.now() };
    new Gauge({
      name: 'corsmesh_policy_listener_heartbeat_age_seconds',
      help: 'Seconds since the change-notice connection was last proven alive (connected, or a heartbeat came back)',
      registers: [this.registry],
      collect() {
        this.set((performance.now() - listener.lastHeartbeatAt) / 1000);
      },
    });
    const reconnects = new Counter({
      name: 'corsmesh_policy_listener_reconnects_total',
      help: 'Times the change-notice connection was lost (closed, or a heartbeat not answered in time) and replaced',
      registers: [this.registry],
    });
    this.listenerEvents = {
      heartbeat: () => void (listener.lastHeartbeatAt = performance.now()),
      reconnected: () => reconnects.inc(),
    };
    const traffic = { lastFlushAt: Date.now() };
    new Gauge({
      name: 'corsmesh_traffic_flush_lag_seconds',
      help: 'Seconds since traffic counts were last written to PostgreSQL (or since start)',
      registers: [this.registry],
      collect() {
        this.set((Date.now() - traffic.lastFlushAt) / 1000);
      },
    });
    const flushFailures = new Counter({
      name: 'corsmesh_traffic_flush_failures_total',
      help: 'Traffic windows that could not be written (their counts are lost; requests are unaffected)',
      registers: [this.registry],
    });
    const dropped = new Counter({
      name: 'corsmesh_traffic_dropped_entries_total',
      help: 'Distinct refusals or request tuples not recorded because a per-tenant or total cap was reached',
      registers: [this.registry],
    });
    this.trafficEvents = {
      flushed: (at) => void (traffic.lastFlushAt = at),
      failed: () => flushFailures.inc(),
      dropped: (entries) => dropped.inc(entries),
    };
    this.cacheEvents = {
      hit: () => void cache.hits++,
      miss: () => void cache.misses++,
      evicted: () => void cache.evictions++,
      loaded: (seconds) => lookups.observe(seconds),
    };
  }

  decision(decision: CorsDecision): void {
    this.decisions[decision.kind][decision.allowed ? 'allowed' : decision.block ? 'refused' : 'reported']++;
    if (decision.refusal !== undefined) this.refusals[decision.refusal]++;
  }

  policyRead(): void {
    this.reads.inc();
  }

  invalidationReceived(): void {
    this.invalidations.inc();
  }
}
