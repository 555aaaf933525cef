import { Injectable } from '@nestjs/common';
import { PrismaService } from '#database';
import { AuditLogRepository } from '../audit/audit-log.repository.js';
import { generateApiKey } from '../auth/api-key-token.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import type { ApiKeyView, CreatedApiKeyView } from './api-key.schema.js';
import { ApiKeysRepository } from './api-keys.repository.js';

/** Tenant-scoped API keys: created with a secret shown once, revoked (kept, for the audit trail). */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tenants: TenantsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  async list(slug: string): Promise<ApiKeyView[]> {
    return this.keys.list(await this.tenants.requireRef(slug));
  }

  create(actor: string, slug: string, name: string): Promise<CreatedApiKeyView> {
    const generated = generateApiKey();
    return this.prisma.$transaction(async (tx) => {
      const tenant = await this.tenants.requireRef(slug, tx);
      const key = await this.keys.create(tenant, name, generated, tx);
      // The audit event holds the view: prefix, never the secret or its hash.
      await this.audit.record(tenant, { actor, action: 'api-key.created', before: null, after: key }, tx);
      return { ...key, secret: generated.token };
    });
  }

  /** Revokes the key; revoking a revoked key changes nothing and is not audited again. */
  revoke(actor: string, slug: string, id: string): Promise<void> {
    return this.prisma.$transaction(async (tx) => {
      const tenant = await this.tenants.requireRef(slug, tx);
      const before = await this.keys.require(tenant, id, tx);
      if (before.revokedAt !== null) return;
      const after = await this.keys.revoke(tenant, id, tx);
      await this.audit.record(tenant, { actor, action: 'api-key.revoked', before, after }, tx);
    });
  }
}
