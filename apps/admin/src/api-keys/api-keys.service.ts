import { Injectable } from '@nestjs/common';
import { PrismaService } from '#database';
import { AuditLogRepository } from '../audit/audit-log.repository.js';
import { generateApiKey } from '../auth/api-key-token.js';
import type { Principal } from '../auth/principal.js';
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

  /** Creates a key, recording the key that asks for it (if any) so that revoking it revokes this one. */
  create(creator: Principal, slug: string, name: string): Promise<CreatedApiKeyView> {
    const generated = generateApiKey();
    const { actor } = creator;
    return this.prisma.$transaction(async (tx) => {
      const tenant = await this.tenants.requireRef(slug, tx);
      const key = await this.keys.create(tenant, name, generated, creator.keyId, tx);
      // The audit event holds the view: prefix, never the secret or its hash.
      await this.audit.record(tenant, { actor, action: 'api-key.created', before: null, after: key }, tx);
      return { ...key, secret: generated.token };
    });
  }

  /**
   * Revokes the key and every key created with it, transitively (a leaked key leaves no
   * working key behind), in one transaction with an audit event per key revoked. Revoking a
   * revoked key revokes only what it created that still works.
   */
  revoke(actor: string, slug: string, id: string): Promise<void> {
    return this.prisma.$transaction(async (tx) => {
      const tenant = await this.tenants.requireRef(slug, tx);
      const before = await this.keys.require(tenant, id, tx);
      if (before.revokedAt === null) {
        const after = await this.keys.revoke(tenant, id, tx);
        await this.audit.record(tenant, { actor, action: 'api-key.revoked', before, after }, tx);
      }
      for (const after of await this.keys.revokeDescendants(tenant, id, tx)) {
        const was = { ...after, revokedAt: null };
        await this.audit.record(tenant, { actor, action: 'api-key.revoked', before: was, after }, tx);
      }
    });
  }
}
