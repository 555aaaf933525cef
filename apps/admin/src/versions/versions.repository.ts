import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService, type TenantConfigVersionModel as VersionRow } from '#database';
import { DomainError } from '#problem-details';
import { z } from 'zod';
import { decodeCursor, type Page, type PageQuery, toPage } from '../pagination/page.js';
import type { Db } from '../persistence/prisma-errors.js';
import type { TenantRef } from '../tenants/tenant.js';
import { type ConfigSnapshot, snapshotOf } from './config-snapshot.js';

/** One version as stored: who made it, when, why, and the configuration it left. */
export interface StoredVersion {
  readonly version: number;
  readonly createdAt: string;
  readonly actor: string;
  readonly summary: string;
  readonly snapshot: ConfigSnapshot;
}

/** What a new version records. */
export interface NewVersion {
  readonly actor: string;
  readonly summary: string;
  readonly snapshot: ConfigSnapshot;
}

/** A version number in a path: a positive whole number, anything else names no version. */
const VERSION_NUMBER = /^[1-9]\d{0,8}$/;

/** Each tenant's configuration versions, numbered from 1, newest kept, never changed. */
@Injectable()
export class VersionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Appends the next version and deletes those that fall out of the newest `keep`. Call with
   * the tenant's policy row locked (see `PoliciesRepository.lock`), which orders the writers of
   * one tenant, so numbers never collide.
   */
  async append(tenant: TenantRef, entry: NewVersion, keep: number, db: Db): Promise<number> {
    const version = (await this.currentNumber(tenant, db)) + 1;
    await db.tenantConfigVersion.create({
      data: {
        tenantId: tenant.id,
        version,
        actor: entry.actor,
        summary: entry.summary,
        snapshot: entry.snapshot as unknown as Prisma.InputJsonObject,
      },
    });
    await db.tenantConfigVersion.deleteMany({ where: { tenantId: tenant.id, version: { lte: version - keep } } });
    return version;
  }

  /** The newest version's number; 0 before the first. */
  async currentNumber(tenant: TenantRef, db: Db = this.prisma): Promise<number> {
    const newest = await db.tenantConfigVersion.findFirst({
      where: { tenantId: tenant.id },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    return newest?.version ?? 0;
  }

  /** Version `number` of the tenant (a path segment, unparsed); 404 when there is none. */
  async require(tenant: TenantRef, number: string, db: Db = this.prisma): Promise<StoredVersion> {
    const row = VERSION_NUMBER.test(number)
      ? await db.tenantConfigVersion.findUnique({
          where: { tenantId_version: { tenantId: tenant.id, version: Number(number) } },
        })
      : null;
    if (row === null) throw new DomainError('not_found', `tenant ${tenant.slug} has no version ${number}`);
    return toStored(row);
  }

  /** The tenant's versions, newest first, keyset-paginated on the number; snapshots left out. */
  async list(tenant: TenantRef, query: PageQuery): Promise<Page<Omit<StoredVersion, 'snapshot'>>> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, z.number().int().positive());
    const rows = await this.prisma.tenantConfigVersion.findMany({
      where: { tenantId: tenant.id, ...(before === undefined ? {} : { version: { lt: before } }) },
      select: { version: true, createdAt: true, actor: true, summary: true },
      orderBy: { version: 'desc' },
      take: query.limit + 1,
    });
    return toPage(
      rows,
      query.limit,
      (row) => ({ version: row.version, createdAt: row.createdAt.toISOString(), actor: row.actor, summary: row.summary }),
      (row) => row.version,
    );
  }
}

function toStored(row: VersionRow): StoredVersion {
  return {
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    actor: row.actor,
    summary: row.summary,
    snapshot: snapshotOf(row.snapshot),
  };
}
