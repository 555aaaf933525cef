import { Prisma, PrismaService } from '#database';
import type { BucketRow, RefusalRow, TrafficBatch, TupleRow, UsageRow } from './traffic-batch.js';

/** Rows kept per tenant in the database, beyond which the rarest, then oldest, go. */
export interface TrafficTableLimits {
  readonly refusalsPerTenant: number;
  readonly tuplesPerTenant: number;
}

/**
 * Rows per statement: a statement's JSON is serialised in one piece, holding the event loop
 * meanwhile, and a batch's tenants may hold up to their cap of distinct rows each (90,000 rows,
 * 13.6 MB of JSON, for a window spread over 30,000 tenants, before windows were split).
 */
export const WRITE_CHUNK_ROWS = 2000;

/**
 * Writes a batch with upserts that add to what is stored (`count = count + EXCLUDED.count`),
 * so that any number of gateways flushing at once add up, with no lost update. One JSON
 * parameter per statement (`jsonb_to_recordset`) of at most {@link WRITE_CHUNK_ROWS} rows,
 * upserted in the order of their keys (`ORDER BY` in the statement): every gateway then locks
 * rows in one order, and concurrent flushes never deadlock. Each statement is its own
 * transaction: a failure loses that part of the batch only.
 */
export class TrafficWriter {
  constructor(
    private readonly prisma: PrismaService,
    private readonly limits: TrafficTableLimits,
  ) {}

  async write(batch: TrafficBatch, at: Date): Promise<void> {
    for (const rows of chunksOf(batch.refusals)) await this.writeRefusals(rows, at);
    for (const rows of chunksOf(batch.tuples)) await this.writeTuples(rows, at);
    for (const rows of chunksOf(batch.usage)) await this.writeUsage(rows, at);
    for (const rows of chunksOf(batch.buckets)) await this.writeBuckets(rows);
  }

  private async writeRefusals(rows: readonly RefusalRow[], at: Date): Promise<void> {
    const gained = await this.prisma.$queryRaw<{ tenant_id: string }[]>`
      WITH upserted AS (
      INSERT INTO traffic_refusals AS t (tenant_id, origin, reason, mode, count, methods, request_headers, sample_path, first_seen_at, last_seen_at)
      SELECT r.tenant_id, r.origin, r.reason, r.mode, r.count, r.methods, r.request_headers, r.sample_path, ${at}, ${at}
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS r(tenant_id uuid, origin text, reason text, mode text, count bigint, methods text[], request_headers text[], sample_path text)
       ORDER BY r.tenant_id, r.origin, r.reason
      ON CONFLICT (tenant_id, origin, reason) DO UPDATE SET
        count = t.count + EXCLUDED.count,
        mode = EXCLUDED.mode,
        methods = ${boundedUnion(Prisma.sql`t.methods`, Prisma.sql`EXCLUDED.methods`)},
        request_headers = ${boundedUnion(Prisma.sql`t.request_headers`, Prisma.sql`EXCLUDED.request_headers`)},
        sample_path = EXCLUDED.sample_path,
        last_seen_at = GREATEST(t.last_seen_at, EXCLUDED.last_seen_at)
      RETURNING tenant_id, xmax = 0 AS inserted)
      ${NEW_ROWS_TENANTS}`;
    await this.trim('traffic_refusals', gained, this.limits.refusalsPerTenant);
  }

  private async writeTuples(rows: readonly TupleRow[], at: Date): Promise<void> {
    const gained = await this.prisma.$queryRaw<{ tenant_id: string }[]>`
      WITH upserted AS (
      INSERT INTO traffic_tuples AS t (tenant_id, origin, method, request_headers, preflight, sample_path, count, last_seen_at)
      SELECT r.tenant_id, r.origin, r.method, r.request_headers, r.preflight, r.sample_path, r.count, ${at}
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS r(tenant_id uuid, origin text, method text, request_headers text, preflight boolean, sample_path text, count bigint)
       ORDER BY r.tenant_id, r.origin, r.method, r.request_headers, r.preflight
      ON CONFLICT (tenant_id, origin, method, request_headers, preflight) DO UPDATE SET
        count = t.count + EXCLUDED.count,
        sample_path = EXCLUDED.sample_path,
        last_seen_at = GREATEST(t.last_seen_at, EXCLUDED.last_seen_at)
      RETURNING tenant_id, xmax = 0 AS inserted)
      ${NEW_ROWS_TENANTS}`;
    await this.trim('traffic_tuples', gained, this.limits.tuplesPerTenant);
  }

  private async writeUsage(rows: readonly UsageRow[], at: Date): Promise<void> {
    // Joined with the rules: a rule deleted since the request leaves no row behind.
    await this.prisma.$executeRaw`
      INSERT INTO origin_rule_usage AS u (rule_id, tenant_id, match_count, last_matched_at)
      SELECT r.rule_id, r.tenant_id, r.count, ${at}
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(rule_id uuid, tenant_id uuid, count bigint)
        JOIN origin_rules o ON o.id = r.rule_id
       ORDER BY r.rule_id
      ON CONFLICT (rule_id) DO UPDATE SET
        match_count = u.match_count + EXCLUDED.match_count,
        last_matched_at = GREATEST(u.last_matched_at, EXCLUDED.last_matched_at)`;
  }

  private async writeBuckets(rows: readonly BucketRow[]): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO traffic_buckets AS b (tenant_id, start, allowed, refused, preflights, refused_by_reason)
      SELECT r.tenant_id, r.start, r.allowed, r.refused, r.preflights, r.refused_by_reason
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS r(tenant_id uuid, start timestamptz, allowed bigint, refused bigint, preflights bigint, refused_by_reason jsonb)
       ORDER BY r.tenant_id, r.start
      ON CONFLICT (tenant_id, start) DO UPDATE SET
        allowed = b.allowed + EXCLUDED.allowed,
        refused = b.refused + EXCLUDED.refused,
        preflights = b.preflights + EXCLUDED.preflights,
        -- Most windows refuse nothing: no merge to compute for them.
        refused_by_reason = CASE WHEN EXCLUDED.refused_by_reason = '{}'::jsonb THEN b.refused_by_reason ELSE (
          SELECT COALESCE(jsonb_object_agg(key, total), '{}'::jsonb)
            FROM (SELECT key, sum(value::bigint) AS total
                    FROM (SELECT * FROM jsonb_each_text(b.refused_by_reason)
                          UNION ALL SELECT * FROM jsonb_each_text(EXCLUDED.refused_by_reason)) AS counts
                   GROUP BY key) AS summed) END`;
  }

  /**
   * Keeps at most `cap` rows for each tenant that just gained rows, the most frequent (then
   * the most recent) ones: a flood of one-off origins churns among its own count-1 rows
   * instead of pushing out refusals that keep happening. Only tenants that gained rows pay.
   */
  private async trim(table: 'traffic_refusals' | 'traffic_tuples', gained: readonly { tenant_id: string }[], cap: number): Promise<void> {
    if (gained.length === 0) return;
    const tenants = gained.map((row) => row.tenant_id);
    await this.prisma.$executeRaw`
      DELETE FROM ${Prisma.raw(table)} WHERE ctid IN (
        SELECT ctid FROM (
          SELECT ctid, row_number() OVER (PARTITION BY tenant_id ORDER BY count DESC, last_seen_at DESC) AS rank
            FROM ${Prisma.raw(table)} WHERE tenant_id = ANY(${tenants}::uuid[])) AS ranked
         WHERE rank > ${cap})`;
  }
}

/**
 * The distinct tenants of an upsert's newly inserted rows (`xmax = 0`: no earlier version),
 * picked in the statement: a flush that only adds to stored rows gets no row back, where one
 * row per upserted row (1,000 for 1,000 tenants) came back to be sifted.
 */
const NEW_ROWS_TENANTS = Prisma.sql`SELECT DISTINCT tenant_id FROM upserted WHERE inserted`;

/** Two text arrays merged, distinct, at most 16 entries: refusals' methods and headers. */
function boundedUnion(stored: Prisma.Sql, added: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`ARRAY(SELECT DISTINCT v FROM unnest(${stored} || ${added}) AS v ORDER BY v LIMIT 16)`;
}

function* chunksOf<T>(rows: readonly T[]): Generator<readonly T[]> {
  for (let from = 0; from < rows.length; from += WRITE_CHUNK_ROWS) yield rows.slice(from, from + WRITE_CHUNK_ROWS);
}
