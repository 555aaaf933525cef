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

  /** A new tenant key; `createdByKeyId` is the key that asks for it, null for the root token. */
  async create(
    tenant: TenantRef,
    name: string,
    key: GeneratedApiKey,
    createdByKeyId: string | null,
    db: Db,
  ): Promise<ApiKeyView> {
    const row = await db.apiKey.create({
      data: { tenantId: tenant.id, scope: 'tenant', name, prefix: key.prefix, secretHash: key.secretHash, createdByKeyId },
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

  /**
   * Revokes every key of the tenant created with key `id`, and with those, and so on, that is
   * not revoked yet; returns them as they are now. One statement: a concurrent revocation
   * waits for the rows' locks and then finds them revoked, so each key is revoked (and
   * audited) once.
   */
  async revokeDescendants(tenant: TenantRef, id: string, db: Db): Promise<ApiKeyView[]> {
    const rows = await db.$queryRaw<DescendantRow[]>`
      WITH RECURSIVE descendants AS (
        SELECT id FROM api_keys WHERE tenant_id = ${tenant.id}::uuid AND created_by_key_id = ${id}::uuid
        UNION
        SELECT child.id FROM api_keys child JOIN descendants parent ON child.created_by_key_id = parent.id
        WHERE child.tenant_id = ${tenant.id}::uuid
      )
      UPDATE api_keys SET revoked_at = CURRENT_TIMESTAMP
      WHERE id IN (SELECT id FROM descendants) AND revoked_at IS NULL
      RETURNING id, name, prefix, created_at, revoked_at, created_by_key_id`;
    return rows
      .map((row) => ({
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        createdAt: row.created_at.toISOString(),
        revokedAt: row.revoked_at.toISOString(),
        createdByKeyId: row.created_by_key_id,
      }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}

interface DescendantRow {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly created_at: Date;
  readonly revoked_at: Date;
  readonly created_by_key_id: string;
}

function toView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdByKeyId: row.createdByKeyId,
  };
}
