import { Controller, Delete, Get, HttpCode, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { API_PREFIX } from '../api-prefix.js';
import { ApiAuthGuard } from '../auth/api-auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { ApiProblems, schemaRef } from '../docs/api-schemas.js';
import { ApiPageQuery } from '../pagination/api-page-query.decorator.js';
import { type Page, type PageQuery, pageQuerySchema } from '../pagination/page.js';
import { TenantExistsGuard } from '../tenants/tenant-exists.guard.js';
import { ZodValidationPipe } from '../validation/zod-validation.pipe.js';
import { RefusalsService } from './refusals.service.js';
import type { RefusalView } from './traffic.schema.js';

/** `/api/v1/tenants/{slug}/refusals`: which origins the gateways refused, and why. */
@ApiTags('traffic')
@Controller(`${API_PREFIX}/tenants/:slug/refusals`)
@UseGuards(ApiAuthGuard, TenantExistsGuard)
export class RefusalsController {
  constructor(private readonly refusals: RefusalsService) {}

  @Get()
  @ApiOperation({
    summary: 'Refused requests by (origin, reason), summed over every gateway; listed within 10 s of the refusal',
  })
  @ApiPageQuery()
  @ApiOkResponse({ schema: schemaRef('RefusalPage') })
  @ApiProblems(400, 404)
  list(
    @Param('slug') slug: string,
    @Query(new ZodValidationPipe(pageQuerySchema, 'query')) query: PageQuery,
  ): Promise<Page<RefusalView>> {
    return this.refusals.list(slug, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Dismiss one refusal; a later refusal of the same origin and reason lists it again' })
  @ApiResponse({ status: 204, description: 'Dismissed' })
  @ApiProblems(404)
  dismiss(@CurrentPrincipal() principal: Principal, @Param('slug') slug: string, @Param('id') id: string): Promise<void> {
    return this.refusals.dismiss(principal.actor, slug, id);
  }
}
