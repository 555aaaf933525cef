import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { API_PREFIX } from '../api-prefix.js';
import { ApiAuthGuard } from '../auth/api-auth.guard.js';
import { ApiProblems, schemaRef } from '../docs/api-schemas.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type Page, type PageQuery, pageQuerySchema } from '../pagination/page.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { ZodValidationPipe } from '../validation/zod-validation.pipe.js';
import type { AuditEventView } from './audit-event.js';
import { AuditLogRepository } from './audit-log.repository.js';

/** `/api/v1/tenants/{slug}/audit`: who changed what, when; newest first. */
@ApiTags('audit')
@Controller(`${API_PREFIX}/tenants/:slug/audit`)
@UseGuards(ApiAuthGuard)
export class AuditController {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly auditLog: AuditLogRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s audit trail, newest first' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, default: DEFAULT_PAGE_LIMIT },
    description: `Capped at ${MAX_PAGE_LIMIT}`,
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: { type: 'string' },
    description: '`nextCursor` of the previous page',
  })
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
