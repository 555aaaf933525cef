import { Injectable } from '@nestjs/common';
import { type ApiKeyModel as ApiKeyRow, PrismaService } from '#database';
import { DomainError } from '#problem-details';
import type { GeneratedApiKey } from '../auth/api-key-token.js';
import type { Db } from '../persistence/prisma-errors.js';
import type { TenantRef } from '../tenants/tenant.js';
import type { ApiKeyView } from './api-key.schema.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A tenant's API keys: prefix and secret hash only; the secret itself is never stored. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The tenant's keys, revoked ones included (with `revokedAt`), oldest first. */
  async list(tenant: TenantRef): Promise<ApiKeyView[]> {
    const rows = await this.prisma.apiKey.findMany({
      where: { tenantId: tenant.id },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toView);
  }

  async create(tenant: TenantRef, name: string, key: GeneratedApiKey, db: Db): Promise<ApiKeyView> {
    const row = await db.apiKey.create({
      data: { tenantId: tenant.id, scope: 'tenant', name, prefix: key.prefix, secretHash: key.secretHash },
    });
    return toView(row);
  }

  /** The tenant's key `id`, or 404: a key of another tenant is not found, not forbidden. */
  async require(tenant: TenantRef, id: string, db: Db): Promise<ApiKeyView> {
    const row = UUID.test(id) ? await db.apiKey.findFirst({ where: { id, tenantId: tenant.id } }) : null;
    if (row === null) throw new DomainError('not_found', `tenant ${tenant.slug} has no API key ${id}`);
    return toView(row);
  }

  async revoke(tenant: TenantRef, id: string, db: Db): Promise<ApiKeyView> {
    const row = await db.apiKey.update({ where: { id, tenantId: tenant.id }, data: { revokedAt: new Date() } });
    return toView(row);
  }
}

function toView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
