import { Injectable } from '@nestjs/common';
import { type TrafficRefusalModel as RefusalRow, PrismaService } from '#database';
import type { CorsRefusalReason } from '#dynamic-cors';
import { DomainError } from '#problem-details';
import { z } from 'zod';
import { decodeCursor, type Page, type PageQuery, toPage } from '../pagination/page.js';
import type { Db } from '../persistence/prisma-errors.js';
import type { TenantRef } from '../tenants/tenant.js';
import type { RefusalView } from './traffic.schema.js';

const cursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The refusals inbox: what the gateways upserted, read most recent first. */
@Injectable()
export class RefusalsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Keyset-paginated on (lastSeenAt, id), newest first. */
  async list(tenant: TenantRef, query: PageQuery): Promise<Page<RefusalView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema);
    const rows = await this.prisma.trafficRefusal.findMany({
      where: {
        tenantId: tenant.id,
        ...(after === undefined
          ? {}
          : { OR: [{ lastSeenAt: { lt: new Date(after[0]) } }, { lastSeenAt: new Date(after[0]), id: { lt: after[1] } }] }),
      },
      orderBy: [{ lastSeenAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    return toPage(rows, query.limit, toView, (row) => [row.lastSeenAt.toISOString(), row.id]);
  }

  /** Removes one refusal; a later refusal of the same origin and reason lists it again. */
  async dismiss(tenant: TenantRef, id: string, db: Db): Promise<RefusalView> {
    const row = UUID.test(id) ? await db.trafficRefusal.findFirst({ where: { id, tenantId: tenant.id } }) : null;
    if (row === null) throw new DomainError('not_found', `tenant ${tenant.slug} has no refusal ${id}`);
    await db.trafficRefusal.delete({ where: { id: row.id } });
    return toView(row);
  }
}

function toView(row: RefusalRow): RefusalView {
  return {
    id: row.id,
    origin: row.origin,
    // Written only by the gateways, from the engine's codes.
    reason: row.reason as CorsRefusalReason,
    mode: row.mode === 'report-only' ? 'report-only' : 'enforce',
    count: Number(row.count),
    firstSeenAt: row.firstSeenAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    methods: row.methods,
    requestHeaders: row.requestHeaders,
    samplePath: row.samplePath,
  };
}
