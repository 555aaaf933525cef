import { Counter, Histogram, Registry } from 'prom-client';
import type { CorsDecision } from '#dynamic-cors';
import type { PolicyCacheEvents } from '../policies/policy-cache.js';

type Outcome = 'allowed' | 'refused' | 'reported';

const KINDS = ['preflight', 'actual', 'same-origin', 'no-origin'] as const satisfies readonly CorsDecision['kind'][];
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
    this.cacheEvents = {
      hit: () => void cache.hits++,
      miss: () => void cache.misses++,
      evicted: () => void cache.evictions++,
      loaded: (seconds) => lookups.observe(seconds),
    };
  }

  decision(decision: CorsDecision): void {
    this.decisions[decision.kind][decision.allowed ? 'allowed' : decision.block ? 'refused' : 'reported']++;
  }

  policyRead(): void {
    this.reads.inc();
  }

  invalidationReceived(): void {
    this.invalidations.inc();
  }
}
