import { normaliseMethod } from '#dynamic-cors';
import { MAX_REFUSAL_VARIANTS, type TrafficWindow } from './traffic-window.js';

/** Width of a traffic bucket: the chart's finest step (SPEC "at least 12 buckets" per hour). */
export const BUCKET_MS = 5 * 60_000;

export interface RefusalRow {
  tenant_id: string;
  origin: string;
  reason: string;
  mode: string;
  count: number;
  methods: string[];
  request_headers: string[];
  sample_path: string;
}

export interface TupleRow {
  tenant_id: string;
  origin: string;
  method: string;
  request_headers: string;
  preflight: boolean;
  sample_path: string;
  count: number;
}

export interface UsageRow {
  rule_id: string;
  tenant_id: string;
  count: number;
}

export interface BucketRow {
  tenant_id: string;
  start: string;
  allowed: number;
  refused: number;
  preflights: number;
  refused_by_reason: Record<string, number>;
}

/** A window as rows to upsert, each list sorted by its key (the order rows are locked in). */
export interface TrafficBatch {
  readonly refusals: RefusalRow[];
  readonly tuples: TupleRow[];
  readonly usage: UsageRow[];
  readonly buckets: BucketRow[];
  readonly dropped: number;
}

/**
 * Turns a window into rows: methods normalised as the engine compares them, requested headers
 * as a sorted list of lower-case names, and the entries that become equal merged. Done here,
 * off the request path, so that recording a request never splits or lower-cases a header.
 */
export function toBatch(window: TrafficWindow): TrafficBatch {
  const refusals: RefusalRow[] = [];
  const tuples = new Map<string, TupleRow>();
  const buckets: BucketRow[] = [];
  const start = new Date(Math.floor(window.startedAt / BUCKET_MS) * BUCKET_MS).toISOString();
  for (const tenant of window.tenants.values()) {
    const tenant_id = tenant.tenantId;
    buckets.push({
      tenant_id,
      start,
      allowed: tenant.allowed,
      refused: tenant.refused,
      preflights: tenant.preflights,
      refused_by_reason: Object.fromEntries(tenant.refusedByReason),
    });
    for (const byReason of tenant.refusals.values()) {
      for (const entry of byReason.values()) {
        const names = new Set<string>();
        for (const list of entry.requestHeaders) for (const name of headerNames(list)) names.add(name);
        refusals.push({
          tenant_id,
          origin: entry.origin,
          reason: entry.reason,
          mode: entry.mode,
          count: entry.count,
          methods: [...new Set([...entry.methods].map(normaliseMethod))].sort(),
          request_headers: [...names].sort().slice(0, MAX_REFUSAL_VARIANTS),
          sample_path: entry.samplePath,
        });
      }
    }
    const add = (origin: string, method: string, requested: string, preflight: boolean, count: number, sample_path: string) => {
      const row: TupleRow = {
        tenant_id,
        origin,
        method: normaliseMethod(method),
        request_headers: headerNames(requested).sort().join(','),
        preflight,
        sample_path,
        count,
      };
      const key = JSON.stringify([tenant_id, row.origin, row.method, row.request_headers, preflight]);
      const existing = tuples.get(key);
      if (existing === undefined) tuples.set(key, row);
      else existing.count += count;
    };
    for (const [origin, byMethod] of tenant.actual)
      for (const [method, entry] of byMethod) add(origin, method, '', false, entry.count, entry.samplePath);
    for (const [origin, byMethod] of tenant.preflight)
      for (const [method, byHeaders] of byMethod)
        for (const [requested, entry] of byHeaders) add(origin, method, requested, true, entry.count, entry.samplePath);
  }
  const usage = [...window.rules].map(([rule_id, entry]) => ({ rule_id, tenant_id: entry.tenantId, count: entry.count }));
  return {
    refusals: refusals.sort((a, b) => compare([a.tenant_id, a.origin, a.reason], [b.tenant_id, b.origin, b.reason])),
    tuples: [...tuples.values()].sort((a, b) =>
      compare(
        [a.tenant_id, a.origin, a.method, a.request_headers, String(a.preflight)],
        [b.tenant_id, b.origin, b.method, b.request_headers, String(b.preflight)],
      ),
    ),
    usage: usage.sort((a, b) => compare([a.rule_id], [b.rule_id])),
    buckets: buckets.sort((a, b) => compare([a.tenant_id], [b.tenant_id])),
    dropped: window.dropped,
  };
}

/** Distinct lower-case names of an `Access-Control-Request-Headers` value. */
function headerNames(list: string): string[] {
  const names = new Set<string>();
  for (const part of list.split(',')) {
    const name = part.trim().toLowerCase();
    if (name !== '') names.add(name);
  }
  return [...names];
}

/** One fixed order, the same in every gateway: concurrent upserts then lock rows in the same order and never deadlock. */
function compare(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}
