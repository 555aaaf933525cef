import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_PREFIX } from '../api-prefix.js';
import { ApiAuthGuard } from '../auth/api-auth.guard.js';
import { ApiProblems, schemaRef } from '../docs/api-schemas.js';
import { ApiPageQuery } from '../pagination/api-page-query.decorator.js';
import { type Page, type PageQuery, pageQuerySchema } from '../pagination/page.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { ZodValidationPipe } from '../validation/zod-validation.pipe.js';
import type { AuditEventView } from './audit-event.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { TenantExistsGuard } from '../tenants/tenant-exists.guard.js';

/** `/api/v1/tenants/{slug}/audit`: who changed what, when; newest first. */
@ApiTags('audit')
@Controller(`${API_PREFIX}/tenants/:slug/audit`)
@UseGuards(ApiAuthGuard, TenantExistsGuard)
export class AuditController {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly auditLog: AuditLogRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s audit trail, newest first' })
  @ApiPageQuery()
  @ApiOkResponse({ schema: schemaRef('AuditEventPage') })
  @ApiProblems(400, 404)
  async list(
    @Param('slug') slug: string,
    @Query(new ZodValidationPipe(pageQuerySchema, 'query')) query: PageQuery,
  ): Promise<Page<AuditEventView>> {
    const tenant = await this.tenants.requireRef(slug);
    return this.auditLog.list(tenant, query);
  }
}
