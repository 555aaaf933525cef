import { Injectable } from '@nestjs/common';
import { PrismaService } from '#database';
import type { TenantRef } from '../tenants/tenant.js';
import { TRAFFIC_WINDOWS, type TrafficView, type TrafficWindow } from './traffic.schema.js';

/** Request tuples replayed by a preview: the most frequent ones, never more. */
export const MAX_REPLAYED_TUPLES = 5000;
/** How far back a preview looks (SPEC: the last 7 days). */
export const PREVIEW_LOOKBACK_MS = 7 * 24 * 60 * 60_000;

/** One distinct (origin, method, requested headers) the gateways saw. */
export interface RecordedTuple {
  readonly origin: string;
  readonly method: string;
  /** Lower-case names, comma-joined and sorted; '' for none. */
  readonly requestHeaders: string;
  readonly preflight: boolean;
  readonly samplePath: string;
  readonly count: number;
  readonly lastSeenAt: Date;
}

/** Reads the chart's totals and the recorded request tuples. */
@Injectable()
export class TrafficRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The window's buckets, oldest first, empty ones included; the last one is in progress. */
  async traffic(tenant: TenantRef, window: TrafficWindow, now = Date.now()): Promise<TrafficView> {
    const { buckets: count, stepMs } = TRAFFIC_WINDOWS[window];
    const from = Math.floor(now / stepMs) * stepMs - (count - 1) * stepMs;
    const [sums, reasons] = await Promise.all([
      this.prisma.$queryRaw<{ slot: number; allowed: number; refused: number; preflights: number }[]>`
        SELECT (floor(extract(epoch FROM start) * 1000 / ${stepMs}) * ${stepMs})::float8 AS slot,
               sum(allowed)::float8 AS allowed, sum(refused)::float8 AS refused, sum(preflights)::float8 AS preflights
          FROM traffic_buckets
         WHERE tenant_id = ${tenant.id}::uuid AND start >= ${new Date(from)}
         GROUP BY slot`,
      this.prisma.$queryRaw<{ reason: string; total: number }[]>`
        SELECT counts.key AS reason, sum(counts.value::bigint)::float8 AS total
          FROM traffic_buckets, jsonb_each_text(refused_by_reason) AS counts
         WHERE tenant_id = ${tenant.id}::uuid AND start >= ${new Date(from)}
         GROUP BY counts.key
         ORDER BY counts.key`,
    ]);
    const bySlot = new Map(sums.map((row) => [row.slot, row]));
    return {
      window,
      bucketSeconds: stepMs / 1000,
      buckets: Array.from({ length: count }, (_, index) => {
        const start = from + index * stepMs;
        const row = bySlot.get(start);
        return { start: new Date(start).toISOString(), allowed: row?.allowed ?? 0, refused: row?.refused ?? 0, preflights: row?.preflights ?? 0 };
      }),
      refusedByReason: Object.fromEntries(reasons.map((row) => [row.reason, row.total])),
    };
  }

  /** The tuples seen in the last 7 days, most frequent first, at most {@link MAX_REPLAYED_TUPLES}. */
  async recentTuples(tenant: TenantRef, now = Date.now()): Promise<RecordedTuple[]> {
    const rows = await this.prisma.trafficTuple.findMany({
      where: { tenantId: tenant.id, lastSeenAt: { gte: new Date(now - PREVIEW_LOOKBACK_MS) } },
      orderBy: [{ count: 'desc' }, { lastSeenAt: 'desc' }],
      take: MAX_REPLAYED_TUPLES,
    });
    return rows.map((row) => ({ ...row, count: Number(row.count) }));
  }
}
