import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '#database';
import type { AdminConfig } from '../config/admin.config.js';
import { ADMIN_CONFIG } from '../config/admin-config.token.js';
import { constantTimeEquals, parseApiKeyToken, secretMatches } from './api-key-token.js';
import type { Principal } from './principal.js';

/**
 * Turns a bearer token into a {@link Principal}: the root token from `ADMIN_TOKEN`, or an API
 * key that is not revoked. Keys are looked up by their public prefix and their secret compared
 * in constant time with the stored SHA-256.
 */
@Injectable()
export class ApiKeyAuthenticator {
  constructor(
    @Inject(ADMIN_CONFIG) private readonly config: AdminConfig,
    private readonly prisma: PrismaService,
  ) {}

  /** The caller the token identifies, or null when it identifies nobody. */
  async authenticate(token: string): Promise<Principal | null> {
    if (constantTimeEquals(token, this.config.ADMIN_TOKEN)) return { kind: 'root', actor: 'root', keyId: null };
    const parsed = parseApiKeyToken(token);
    if (parsed === null) return null;
    const key = await this.prisma.apiKey.findUnique({
      where: { prefix: parsed.prefix },
      select: {
        id: true,
        scope: true,
        secretHash: true,
        revokedAt: true,
        tenant: { select: { id: true, slug: true } },
      },
    });
    if (key === null || key.revokedAt !== null || !secretMatches(parsed.secret, key.secretHash)) return null;
    const actor = `key:${parsed.prefix}`;
    if (key.scope === 'root') return { kind: 'root', actor, keyId: key.id };
    // The scope check constraint guarantees a tenant for tenant-scoped keys; deleting the
    // tenant deletes its keys.
    if (key.tenant === null) return null;
    return { kind: 'tenant', actor, keyId: key.id, tenantId: key.tenant.id, tenantSlug: key.tenant.slug };
  }
}
