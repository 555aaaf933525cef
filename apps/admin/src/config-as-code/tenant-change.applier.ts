import { Injectable } from '@nestjs/common';
import { AuditLogRepository } from '../audit/audit-log.repository.js';
import { OriginsRepository } from '../origins/origins.repository.js';
import { PoliciesRepository } from '../policies/policies.repository.js';
import type { Db } from '../persistence/prisma-errors.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { VersionRecorder } from '../versions/version-recorder.js';
import { ConfigStateRepository, type TenantNotice } from './config-state.repository.js';
import type { DesiredTenant } from './document/config-model.js';
import { nativeEntry } from './document/native-entry.js';
import type { TenantChange } from './document/plan-changes.js';

/**
 * Applies one tenant's planned change inside the import's transaction, with the repositories the
 * tenant, policy and origin routes write with, and records its audit event and, when its CORS
 * configuration (policy, path rules, origins) changed, its version. Returns the tenant's
 * change notice (null when nothing changed), which the import sends once per tenant.
 */
@Injectable()
export class TenantChangeApplier {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly policies: PoliciesRepository,
    private readonly origins: OriginsRepository,
    private readonly audit: AuditLogRepository,
    private readonly states: ConfigStateRepository,
    private readonly versions: VersionRecorder,
  ) {}

  async applyTenantChange(actor: string, planned: TenantChange, db: Db): Promise<TenantNotice | null> {
    switch (planned.action) {
      case 'unchanged':
        return null;
      case 'delete': {
        const { current } = planned;
        await this.audit.record(current, { actor, action: 'tenant.deleted', before: nativeEntry(current), after: null }, db);
        await this.tenants.delete(current, db);
        return { tenantId: current.id, slugs: [current.slug], hostnames: current.hostnames };
      }
      case 'create': {
        const { desired } = planned;
        const created = await this.states.createTenant(desired, db);
        await this.audit.record(created, { actor, action: 'tenant.imported', before: null, after: entryOf(created.id, desired) }, db);
        await this.versions.record(db, created, actor, 'created by a configuration import');
        return { tenantId: created.id, slugs: [desired.slug], hostnames: desired.hostnames };
      }
      case 'update': {
        const { desired, current, change } = planned;
        const fields = new Set(change.fields);
        const configuration = change.fields.filter((field) => field === 'origins' || field.startsWith('policy.'));
        // The policy row's lock first, as every configuration writer takes it (no deadlock).
        if (configuration.length > 0) await this.policies.lock(current, db);
        if (fields.has('name') || fields.has('hostnames') || fields.has('upstreamUrl')) {
          await this.tenants.update(
            current,
            { name: desired.name, hostnames: [...desired.hostnames], upstreamUrl: desired.upstreamUrl },
            db,
          );
        }
        if (change.fields.some((field) => field.startsWith('policy.'))) await this.policies.update(current, desired.policy, db);
        if (fields.has('origins')) await this.origins.replace(current, desired.origins, db);
        await this.audit.record(current, { actor, action: 'tenant.imported', before: nativeEntry(current), after: entryOf(current.id, desired) }, db);
        if (configuration.length > 0) await this.versions.record(db, current, actor, `imported: ${configuration.join(', ')}`);
        return { tenantId: current.id, slugs: [current.slug], hostnames: [...new Set([...current.hostnames, ...desired.hostnames])] };
      }
    }
  }
}

/** The audit snapshot of a tenant as the import leaves it: its entry in the native document. */
function entryOf(id: string, desired: DesiredTenant) {
  return nativeEntry({ id, ...desired });
}
