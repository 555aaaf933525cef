import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { API_PREFIX } from '../api-prefix.js';
import { ApiAuthGuard } from '../auth/api-auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { ApiProblems, schemaRef } from '../docs/api-schemas.js';
import { JsonBodyGuard } from '../validation/json-body.guard.js';
import { ZodValidationPipe } from '../validation/zod-validation.pipe.js';
import {
  originRuleInputSchema,
  type OriginRuleRequest,
  type OriginRuleView,
  type ReplaceOriginsInput,
  replaceOriginsSchema,
} from './origin.schema.js';
import { OriginsService } from './origins.service.js';
import { TenantExistsGuard } from '../tenants/tenant-exists.guard.js';

/** `/api/v1/tenants/{slug}/origins`: the origins allowed cross-origin access. */
@ApiTags('origins')
@Controller(`${API_PREFIX}/tenants/:slug/origins`)
@UseGuards(ApiAuthGuard, TenantExistsGuard, JsonBodyGuard)
export class OriginsController {
  constructor(private readonly origins: OriginsService) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s origin rules, normalised' })
  @ApiOkResponse({ schema: schemaRef('OriginRuleList') })
  @ApiProblems(404)
  async list(@Param('slug') slug: string): Promise<{ items: OriginRuleView[] }> {
    return { items: await this.origins.list(slug) };
  }

  @Post()
  @ApiOperation({ summary: 'Allow one more origin; the stored rule is the normalised one' })
  @ApiBody({
    schema: schemaRef('OriginRuleInput'),
    examples: {
      exact: { value: { origin: 'https://app.example.com' } },
      wildcard: { value: { origin: 'https://*.example.com' } },
      any: { value: { origin: '*' } },
      regex: { value: { pattern: '^https://pr-[0-9]+\\.preview\\.example\\.com$', type: 'regex' } },
      expiring: { value: { origin: 'https://pr-482.preview.example.com', expiresAt: '2026-12-31T23:59:59Z', note: 'PR #482' } },
    },
  })
  @ApiResponse({ status: 201, description: 'The stored rule', schema: schemaRef('OriginRule') })
  @ApiProblems(400, 404, 409, 413, 415)
  add(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(originRuleInputSchema)) body: OriginRuleRequest,
  ): Promise<OriginRuleView> {
    return this.origins.add(principal.actor, slug, body);
  }

  @Put()
  @ApiOperation({ summary: 'Replace the whole list atomically: all rules valid or nothing changes' })
  @ApiBody({
    schema: schemaRef('ReplaceOrigins'),
    examples: {
      list: {
        value: { origins: [{ origin: 'https://app.example.com' }, { origin: 'https://*.staging.example.com' }] },
      },
    },
  })
  @ApiOkResponse({ schema: schemaRef('OriginRuleList') })
  @ApiProblems(400, 404, 413, 415)
  async replace(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(replaceOriginsSchema)) body: ReplaceOriginsInput,
  ): Promise<{ items: OriginRuleView[] }> {
    return { items: await this.origins.replace(principal.actor, slug, body.origins) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove one origin rule' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiProblems(404)
  remove(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Param('id') id: string,
  ): Promise<void> {
    return this.origins.remove(principal.actor, slug, id);
  }
}
