import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '#database';
import { z } from 'zod';
import { decodeCursor, type Page, type PageQuery, toPage } from '../pagination/page.js';
import type { Db } from '../persistence/prisma-errors.js';
import type { TenantRef } from '../tenants/tenant.js';
import type { AuditEntry, AuditEventView } from './audit-event.js';

const cursorSchema = z.tuple([z.iso.datetime(), z.string().regex(/^\d+$/)]);

/** The audit log of each tenant: appended to inside each change's transaction, read newest first. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Appends one event; pass the transaction of the change so both commit or neither. */
  async record(tenant: TenantRef, entry: AuditEntry, db: Db): Promise<void> {
    await db.auditEvent.create({
      data: {
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        actor: entry.actor,
        action: entry.action,
        before: toJson(entry.before),
        after: toJson(entry.after),
      },
    });
  }

  /** The tenant's events, newest first, keyset-paginated on (createdAt, id). */
  async list(tenant: TenantRef, query: PageQuery): Promise<Page<AuditEventView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema);
    const rows = await this.prisma.auditEvent.findMany({
      where: {
        tenantId: tenant.id,
        ...(after === undefined
          ? {}
          : {
              OR: [
                { createdAt: { lt: new Date(after[0]) } },
                { createdAt: new Date(after[0]), id: { lt: BigInt(after[1]) } },
              ],
            }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    return toPage(
      rows,
      query.limit,
      (row) => ({
        id: row.id.toString(),
        tenantSlug: row.tenantSlug,
        actor: row.actor,
        action: row.action,
        before: row.before,
        after: row.after,
        createdAt: row.createdAt.toISOString(),
      }),
      (row) => [row.createdAt.toISOString(), row.id.toString()],
    );
  }
}

function toJson(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  // Views hold only JSON values (dates already as ISO strings); the round trip drops undefined.
  return value === null || value === undefined
    ? Prisma.DbNull
    : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}
