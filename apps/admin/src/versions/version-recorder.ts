import { Inject, Injectable } from '@nestjs/common';
import { ADMIN_CONFIG } from '../config/admin-config.token.js';
import type { AdminConfig } from '../config/admin.config.js';
import type { Db } from '../persistence/prisma-errors.js';
import type { TenantRef } from '../tenants/tenant.js';
import { readSnapshot } from './config-snapshot.js';
import { VersionsRepository } from './versions.repository.js';

/** Longest summary a version keeps; a longer one is cut with an ellipsis. */
export const MAX_SUMMARY_LENGTH = 200;

/**
 * Records a version of a tenant's CORS configuration: call it in the transaction of every
 * change to the tenant's policy, path rules or origins, after the change, so that the version
 * and the change commit together or not at all. Whoever changes a tenant's configuration
 * (the admin routes, an import) goes through here.
 */
@Injectable()
export class VersionRecorder {
  private readonly keep: number;

  constructor(
    private readonly versions: VersionsRepository,
    @Inject(ADMIN_CONFIG) config: AdminConfig,
  ) {
    this.keep = config.VERSIONS_KEPT_PER_TENANT;
  }

  /**
   * Snapshots the tenant's configuration as `db` sees it now and appends it as the next
   * version, with who made the change (`root`, `key:<prefix>`) and a one-line summary. Answers
   * the new version's number.
   */
  async record(db: Db, tenant: TenantRef, actor: string, summary: string): Promise<number> {
    // The policy row's lock orders one tenant's writers, so two of them never take the same
    // number. Writers of the admin API hold it already (taking it again is free); lock it
    // before writing origins too, in that order, or two writers may deadlock.
    await db.$queryRaw`SELECT 1 FROM cors_policies WHERE tenant_id = ${tenant.id}::uuid FOR UPDATE`;
    const snapshot = await readSnapshot(tenant, db);
    return this.versions.append(tenant, { actor, summary: oneLine(summary), snapshot }, this.keep, db);
  }
}

function oneLine(summary: string): string {
  const line = summary.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_SUMMARY_LENGTH ? line : `${line.slice(0, MAX_SUMMARY_LENGTH - 1)}…`;
}
