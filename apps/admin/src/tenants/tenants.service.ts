import { Injectable } from '@nestjs/common';
import { PrismaService } from '#database';
import { AuditLogRepository } from '../audit/audit-log.repository.js';
import { VersionRecorder } from '../versions/version-recorder.js';
import type { Page } from '../pagination/page.js';
import type { Tenant } from './tenant.js';
import type { CreateTenantInput, ListTenantsQuery, UpdateTenantInput } from './tenant.schema.js';
import { TenantHostsValidator } from './tenant-hosts.validator.js';
import { TenantsRepository } from './tenants.repository.js';

/**
 * Tenant lifecycle. Each change and its audit event commit in one transaction; the database
 * triggers notify the gateways in that same transaction.
 */
@Injectable()
export class TenantsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditLogRepository,
    private readonly hosts: TenantHostsValidator,
    private readonly versions: VersionRecorder,
  ) {}

  create(actor: string, input: CreateTenantInput): Promise<Tenant> {
    return this.prisma.$transaction(async (tx) => {
      this.hosts.check(input);
      const tenant = await this.tenants.create(input, tx);
      await this.audit.record(tenant, { actor, action: 'tenant.created', before: null, after: tenant }, tx);
      // Version 1: the default policy and no origins (SPEC "Details of the second wave").
      await this.versions.record(tx, tenant, actor, 'tenant created');
      return tenant;
    });
  }

  list(query: ListTenantsQuery): Promise<Page<Tenant>> {
    return this.tenants.list(query);
  }

  get(slug: string): Promise<Tenant> {
    return this.tenants.require(slug);
  }

  update(actor: string, slug: string, patch: UpdateTenantInput): Promise<Tenant> {
    return this.prisma.$transaction(async (tx) => {
      const before = await this.tenants.require(slug, tx);
      this.hosts.check(patch);
      const after = await this.tenants.update(before, patch, tx);
      await this.audit.record(after, { actor, action: 'tenant.updated', before, after }, tx);
      return after;
    });
  }

  /** Deletes the tenant; its audit trail stays, keyed by slug, with this deletion last. */
  delete(actor: string, slug: string): Promise<void> {
    return this.prisma.$transaction(async (tx) => {
      const before = await this.tenants.require(slug, tx);
      await this.audit.record(before, { actor, action: 'tenant.deleted', before, after: null }, tx);
      await this.tenants.delete(before, tx);
    });
  }
}
