import { normaliseMethod } from '#dynamic-cors';
import { MAX_REFUSAL_VARIANTS, type TenantWindow, type TrafficWindow } from './traffic-window.js';

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

/** A window as rows to upsert, in no order (the writer's statements order them). */
export interface TrafficBatch {
  readonly refusals: RefusalRow[];
  readonly tuples: TupleRow[];
  readonly usage: UsageRow[];
  readonly buckets: BucketRow[];
  readonly dropped: number;
}

/** Tenants per batch: a window spread over 30,000 tenants took 80-120 ms to turn into rows in one piece (issue 13). */
export const TENANTS_PER_BATCH = 2000;

/**
 * Turns a window into rows, {@link TENANTS_PER_BATCH} tenants at a time, each batch built only
 * when the previous one has been taken (written), so that the event loop serves requests in
 * between. The rule usage and the dropped count come with the first batch.
 */
export function* toBatches(window: TrafficWindow): Generator<TrafficBatch> {
  let tenants: TenantWindow[] = [];
  let first = true;
  for (const tenant of window.tenants.values()) {
    tenants.push(tenant);
    if (tenants.length < TENANTS_PER_BATCH) continue;
    yield toBatch(window, tenants, first);
    tenants = [];
    first = false;
  }
  if (tenants.length > 0 || first) yield toBatch(window, tenants, first);
}

/**
 * Rows of some of a window's tenants: methods normalised as the engine compares them,
 * requested headers as a sorted list of lower-case names, and the entries that become equal
 * merged. Done here, off the request path, so that recording a request never splits or
 * lower-cases a header.
 */
function toBatch(window: TrafficWindow, tenants: readonly TenantWindow[], withWindowWide: boolean): TrafficBatch {
  const refusals: RefusalRow[] = [];
  const tuples = new Map<string, TupleRow>();
  const buckets: BucketRow[] = [];
  const start = new Date(Math.floor(window.startedAt / BUCKET_MS) * BUCKET_MS).toISOString();
  for (const tenant of tenants) {
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
      const key = tupleKey([tenant_id, row.origin, row.method, row.request_headers, String(preflight)]);
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
  return {
    refusals,
    tuples: [...tuples.values()],
    usage: withWindowWide ? [...window.rules].map(([rule_id, entry]) => ({ rule_id, tenant_id: entry.tenantId, count: entry.count })) : [],
    buckets,
    dropped: withWindowWide ? window.dropped : 0,
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

/** A tuple's identity: its fields joined with NUL, which no id, origin, method or header holds (HTTP forbids it). */
function tupleKey(fields: readonly string[]): string {
  return fields.join('\u0000');
}
