import { Injectable } from '@nestjs/common';
import { PrismaService } from '#database';
import { AuditLogRepository } from '../audit/audit-log.repository.js';
import type { Page, PageQuery } from '../pagination/page.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { RefusalsRepository } from './refusals.repository.js';
import type { RefusalView } from './traffic.schema.js';

/** The refusals inbox: listed from what the gateways recorded, dismissed by an administrator. */
@Injectable()
export class RefusalsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tenants: TenantsRepository,
    private readonly refusals: RefusalsRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  async list(slug: string, query: PageQuery): Promise<Page<RefusalView>> {
    return this.refusals.list(await this.tenants.requireRef(slug), query);
  }

  dismiss(actor: string, slug: string, id: string): Promise<void> {
    return this.prisma.$transaction(async (tx) => {
      const tenant = await this.tenants.requireRef(slug, tx);
      const dismissed = await this.refusals.dismiss(tenant, id, tx);
      await this.audit.record(tenant, { actor, action: 'refusal.dismissed', before: dismissed, after: null }, tx);
    });
  }
}
