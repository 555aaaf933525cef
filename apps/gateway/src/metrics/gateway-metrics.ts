import { Counter, Histogram, Registry } from 'prom-client';
import type { CorsDecision } from '#dynamic-cors';
import type { PolicyCacheEvents } from '../policies/policy-cache.js';

type Outcome = 'allowed' | 'refused' | 'reported';

/**
 * The gateway's Prometheus metrics, in a registry of its own (two gateways in one process,
 * as in tests, must not share counters). Label children are bound once: the request path
 * only increments.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly cacheEvents: PolicyCacheEvents;
  private readonly decisions: Record<CorsDecision['kind'], Record<Outcome, Counter.Internal>>;
  private readonly invalidations: Counter;

  constructor() {
    const decisions = new Counter({
      name: 'corsmesh_cors_decisions_total',
      help: 'Tenant requests by CORS situation (kind) and outcome (allowed; refused; reported = refused in report-only mode)',
      labelNames: ['kind', 'outcome'],
      registers: [this.registry],
    });
    const kinds = ['preflight', 'actual', 'same-origin', 'no-origin'] as const;
    this.decisions = Object.fromEntries(
      kinds.map((kind) => [kind, { allowed: decisions.labels(kind, 'allowed'), refused: decisions.labels(kind, 'refused'), reported: decisions.labels(kind, 'reported') }]),
    ) as GatewayMetrics['decisions'];
    const counter = (name: string, help: string) => new Counter({ name, help, registers: [this.registry] });
    const hits = counter('corsmesh_policy_cache_hits_total', 'Policy look-ups answered from the in-process cache');
    const misses = counter('corsmesh_policy_cache_misses_total', 'Policy look-ups that went to PostgreSQL');
    const evictions = counter('corsmesh_policy_cache_evictions_total', 'Policies evicted to make room (cache full)');
    this.invalidations = counter('corsmesh_policy_invalidations_total', 'Policy change notices received from PostgreSQL');
    const lookups = new Histogram({
      name: 'corsmesh_policy_lookup_seconds',
      help: 'Time to read one tenant policy from PostgreSQL on a cache miss',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [this.registry],
    });
    this.cacheEvents = {
      hit: () => hits.inc(),
      miss: () => misses.inc(),
      evicted: () => evictions.inc(),
      loaded: (seconds) => lookups.observe(seconds),
    };
  }

  decision(decision: CorsDecision): void {
    this.decisions[decision.kind][decision.allowed ? 'allowed' : decision.block ? 'refused' : 'reported'].inc();
  }

  invalidationReceived(): void {
    this.invalidations.inc();
  }
}
