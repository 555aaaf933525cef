import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaService } from '#database';

const DAY_MS = 24 * 60 * 60_000;

/**
 * How long traffic is kept (README "Traffic insight"): totals and request tuples as long as
 * the longest chart window and the preview's look-back (7 days, plus a day so the oldest
 * bucket of the 7-day chart is whole); a refusal 30 days after it was last seen.
 */
export const RETENTION = { bucketsMs: 8 * DAY_MS, tuplesMs: 7 * DAY_MS, refusalsMs: 30 * DAY_MS } as const;
/** How often the admin prunes. */
export const PRUNE_INTERVAL_MS = 60 * 60_000;

/**
 * Deletes traffic past its retention, and the rows of deleted tenants and origin rules (the
 * traffic tables have no foreign keys: see their migration). Every admin app runs it; the
 * deletes are idempotent, so several at once only repeat each other.
 */
@Injectable()
export class TrafficRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TrafficRetention.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly prisma: PrismaService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.prune().catch((error: unknown) => this.logger.warn(`traffic not pruned, trying again in an hour: ${String(error)}`));
    }, PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass; answers how many rows each table lost. */
  async prune(now = Date.now()): Promise<Record<'buckets' | 'tuples' | 'refusals' | 'usage', number>> {
    const buckets = await this.prisma.$executeRaw`DELETE FROM traffic_buckets WHERE start < ${new Date(now - RETENTION.bucketsMs)}`;
    const tuples = await this.prisma.$executeRaw`
      DELETE FROM traffic_tuples x
       WHERE x.last_seen_at < ${new Date(now - RETENTION.tuplesMs)}
          OR NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = x.tenant_id)`;
    const refusals = await this.prisma.$executeRaw`
      DELETE FROM traffic_refusals x
       WHERE x.last_seen_at < ${new Date(now - RETENTION.refusalsMs)}
          OR NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = x.tenant_id)`;
    const usage = await this.prisma.$executeRaw`
      DELETE FROM origin_rule_usage u WHERE NOT EXISTS (SELECT 1 FROM origin_rules o WHERE o.id = u.rule_id)`;
    return { buckets, tuples, refusals, usage };
  }
}
