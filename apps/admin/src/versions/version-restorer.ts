import { Injectable } from '@nestjs/common';
import { PrismaService } from '#database';
import { DomainError } from '#problem-details';
import { AuditLogRepository } from '../audit/audit-log.repository.js';
import { OriginsRepository } from '../origins/origins.repository.js';
import { PoliciesRepository } from '../policies/policies.repository.js';
import { satisfies, versionPrecondition } from '../policies/if-match.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { VersionRecorder } from './version-recorder.js';
import { toVersionView, type VersionView } from './version.schema.js';
import { VersionsRepository } from './versions.repository.js';

/**
 * Restores an earlier version: makes the tenant's policy, path rules and origins exactly what
 * that version recorded, as a new version, in one transaction with its audit event (and so
 * with the change notice every gateway evicts on).
 */
@Injectable()
export class VersionRestorer {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tenants: TenantsRepository,
    private readonly policies: PoliciesRepository,
    private readonly origins: OriginsRepository,
    private readonly versions: VersionsRepository,
    private readonly recorder: VersionRecorder,
    private readonly audit: AuditLogRepository,
  ) {}

  /**
   * `ifMatch` names the version the caller saw as current (`"7"`, as `GET …/versions` lists it
   * first and sends as its ETag); another one is a 412. Required: a restore based on nothing
   * could undo a change its author never saw.
   */
  restore(actor: string, slug: string, number: string, ifMatch: string | undefined): Promise<VersionView> {
    return this.prisma.$transaction(async (tx) => {
      const tenant = await this.tenants.requireRef(slug, tx);
      // The lock every configuration writer takes first: of two restores based on the same
      // version, the second sees the first's version and gets 412.
      await this.policies.lock(tenant, tx);
      const target = await this.versions.require(tenant, number, tx);
      if (ifMatch === undefined || ifMatch.trim() === '') {
        throw DomainError.validation([
          { field: 'If-Match', reason: 'is required: send the current version as If-Match: "<version>"' },
        ]);
      }
      const precondition = versionPrecondition(ifMatch, undefined);
      const current = await this.versions.currentNumber(tenant, tx);
      if (!satisfies(precondition, current)) {
        throw new DomainError(
          'version_mismatch',
          `the configuration is at version ${current}; look at its history again before restoring`,
        );
      }
      const { snapshot } = target;
      await this.policies.update(tenant, snapshot.policy, tx);
      await this.origins.replace(
        tenant,
        snapshot.origins.map((rule) => ({
          ...rule,
          expiresAt: rule.expiresAt === null ? null : new Date(rule.expiresAt),
        })),
        tx,
      );
      const restored = await this.recorder.record(tx, tenant, actor, `restored version ${target.version}`);
      await this.audit.record(
        tenant,
        {
          actor,
          action: 'version.restored',
          before: { version: current },
          after: { version: restored, restoredFrom: target.version },
        },
        tx,
      );
      return toVersionView(await this.versions.require(tenant, String(restored), tx));
    });
  }
}
