import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '#database';
import { DomainError } from '#problem-details';
import { z } from 'zod';
import { decodeCursor, type Page, toPage } from '../pagination/page.js';
import { type Db, isUniqueViolation } from '../persistence/prisma-errors.js';
import type { Tenant, TenantRef } from './tenant.js';
import type { CreateTenantInput, ListTenantsQuery, UpdateTenantInput } from './tenant.schema.js';

const withHostnames = {
  hostnames: { select: { hostname: true }, orderBy: { hostname: 'asc' } },
} as const satisfies Prisma.TenantInclude;
type TenantRow = Prisma.TenantGetPayload<{ include: typeof withHostnames }>;

/** Tenants and their hostnames. Unique violations become 409, a missing tenant 404. */
@Injectable()
export class TenantsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The tenant named `slug`, or a 404. */
  async requireRef(slug: string, db: Db = this.prisma): Promise<TenantRef> {
    const tenant = await db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true } });
    if (tenant === null) throw tenantNotFound(slug);
    return tenant;
  }

  /** The tenant named `slug` with its hostnames, or a 404. */
  async require(slug: string, db: Db = this.prisma): Promise<Tenant> {
    const row = await db.tenant.findUnique({ where: { slug }, include: withHostnames });
    if (row === null) throw tenantNotFound(slug);
    return toTenant(row);
  }

  /** Tenants ordered by slug, optionally those whose slug or name contains `search`. */
  async list(query: ListTenantsQuery): Promise<Page<Tenant>> {
    const afterSlug = query.cursor === undefined ? undefined : decodeCursor(query.cursor, z.string());
    // Prisma's `contains` is a LIKE: `%`, `_` and `\\` in the search are meant literally.
    const search =
      query.search === undefined || query.search === '' ? undefined : query.search.replace(/[\\%_]/g, '\\$&');
    const rows = await this.prisma.tenant.findMany({
      where: {
        ...(afterSlug === undefined ? {} : { slug: { gt: afterSlug } }),
        ...(search === undefined
          ? {}
          : {
              OR: [
                { slug: { contains: search, mode: 'insensitive' } },
                { name: { contains: search, mode: 'insensitive' } },
              ],
            }),
      },
      include: withHostnames,
      orderBy: { slug: 'asc' },
      take: query.limit + 1,
    });
    return toPage(rows, query.limit, toTenant, (row) => row.slug);
  }

  /** Creates a tenant with its hostnames and its default policy row. */
  async create(input: CreateTenantInput, db: Db): Promise<Tenant> {
    await this.assertSlugFree(input.slug, db);
    await this.assertHostnamesFree(input.hostnames, undefined, db);
    const row = await translate(
      db.tenant.create({
        data: {
          slug: input.slug,
          name: input.name,
          upstreamUrl: input.upstreamUrl,
          hostnames: { create: input.hostnames.map((hostname) => ({ hostname })) },
          // The policy row takes its defaults from the schema (SPEC "Policy model").
          policy: { create: {} },
        },
        include: withHostnames,
      }),
    );
    return toTenant(row);
  }

  /** Applies a patch; `hostnames` replaces the list, touching only the rows that change. */
  async update(tenant: TenantRef, patch: UpdateTenantInput, db: Db): Promise<Tenant> {
    if (patch.slug !== undefined && patch.slug !== tenant.slug) await this.assertSlugFree(patch.slug, db);
    if (patch.hostnames !== undefined) {
      await this.assertHostnamesFree(patch.hostnames, tenant.id, db);
      await db.tenantHostname.deleteMany({ where: { tenantId: tenant.id, hostname: { notIn: patch.hostnames } } });
      await db.tenantHostname.createMany({
        data: patch.hostnames.map((hostname) => ({ tenantId: tenant.id, hostname })),
        skipDuplicates: true,
      });
    }
    const row = await translate(
      db.tenant.update({
        where: { id: tenant.id },
        data: {
          ...(patch.slug === undefined ? {} : { slug: patch.slug }),
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.upstreamUrl === undefined ? {} : { upstreamUrl: patch.upstreamUrl }),
          // A change of hostnames alone is a change of the tenant too.
          updatedAt: new Date(),
        },
        include: withHostnames,
      }),
    );
    return toTenant(row);
  }

  /** Deletes the tenant; its hostnames, policy, origins and keys go with it (FK cascade). */
  async delete(tenant: TenantRef, db: Db): Promise<void> {
    await db.tenant.delete({ where: { id: tenant.id } });
  }

  private async assertSlugFree(slug: string, db: Db): Promise<void> {
    const taken = await db.tenant.findUnique({ where: { slug }, select: { id: true } });
    if (taken !== null) throw new DomainError('conflict', `a tenant with slug ${slug} already exists`);
  }

  /** Hostnames are unique across tenants: name the first one another tenant already has. */
  private async assertHostnamesFree(hostnames: readonly string[], tenantId: string | undefined, db: Db): Promise<void> {
    if (hostnames.length === 0) return;
    const taken = await db.tenantHostname.findFirst({
      where: { hostname: { in: [...hostnames] }, ...(tenantId === undefined ? {} : { tenantId: { not: tenantId } }) },
      select: { hostname: true },
      orderBy: { hostname: 'asc' },
    });
    if (taken !== null)
      throw new DomainError('conflict', `hostname ${taken.hostname} already belongs to another tenant`);
  }
}

/** The 404 of a tenant route whose tenant does not exist. */
export function tenantNotFound(slug: string): DomainError {
  return new DomainError('not_found', `no tenant with slug ${slug}`);
}

/** A write whose unique violation (a race with another writer) is a 409 on the slug or a hostname. */
export async function translate<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    // Only reachable in a race with another writer after the checks above passed.
    if (isUniqueViolation(error))
      throw new DomainError('conflict', 'the slug or a hostname was taken by another tenant meanwhile');
    throw error;
  }
}

function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    hostnames: row.hostnames.map((h) => h.hostname),
    upstreamUrl: row.upstreamUrl,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
