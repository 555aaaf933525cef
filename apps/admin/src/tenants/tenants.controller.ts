import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { API_PREFIX } from '../api-prefix.js';
import { ApiAuthGuard } from '../auth/api-auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RootOnly } from '../auth/root-only.decorator.js';
import { ApiProblems, schemaRef } from '../docs/api-schemas.js';
import { ApiPageQuery } from '../pagination/api-page-query.decorator.js';
import { type Page } from '../pagination/page.js';
import { JsonBodyGuard } from '../validation/json-body.guard.js';
import { ZodValidationPipe } from '../validation/zod-validation.pipe.js';
import type { Tenant } from './tenant.js';
import {
  type CreateTenantInput,
  createTenantSchema,
  type ListTenantsQuery,
  listTenantsQuerySchema,
  type UpdateTenantInput,
  updateTenantSchema,
} from './tenant.schema.js';
import { TenantsService } from './tenants.service.js';
import { TenantExistsGuard } from './tenant-exists.guard.js';

/** `/api/v1/tenants`: listing and creating tenants is root only; a tenant key may read its own. */
@ApiTags('tenants')
@Controller(`${API_PREFIX}/tenants`)
@UseGuards(ApiAuthGuard, TenantExistsGuard, JsonBodyGuard)
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a tenant (root only), with the default CORS policy and no origins' })
  @ApiBody({
    schema: schemaRef('CreateTenant'),
    examples: {
      minimal: { value: { slug: 'acme', name: 'Acme Corporation' } },
      routed: {
        value: {
          slug: 'acme',
          name: 'Acme Corporation',
          hostnames: ['api.acme.example'],
          upstreamUrl: 'https://backend.acme.example',
        },
      },
    },
  })
  @ApiResponse({ status: 201, description: 'The new tenant', schema: schemaRef('Tenant') })
  @ApiProblems(400, 409, 413, 415)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodValidationPipe(createTenantSchema)) body: CreateTenantInput,
  ): Promise<Tenant> {
    return this.tenants.create(principal.actor, body);
  }

  @Get()
  @ApiOperation({ summary: 'List tenants by slug (root only)' })
  @ApiPageQuery()
  @ApiQuery({
    name: 'search',
    required: false,
    schema: { type: 'string' },
    description: 'Case-insensitive substring of slug or name',
  })
  @ApiOkResponse({ schema: schemaRef('TenantPage') })
  @ApiProblems(400)
  list(@Query(new ZodValidationPipe(listTenantsQuerySchema, 'query')) query: ListTenantsQuery): Promise<Page<Tenant>> {
    return this.tenants.list(query);
  }

  @Get(':slug')
  @ApiOperation({ summary: 'One tenant' })
  @ApiOkResponse({ schema: schemaRef('Tenant') })
  @ApiProblems(404)
  get(@Param('slug') slug: string): Promise<Tenant> {
    return this.tenants.get(slug);
  }

  @Patch(':slug')
  @RootOnly()
  @ApiOperation({ summary: 'Change a tenant (root only: routing is the platform’s call)' })
  @ApiBody({
    schema: schemaRef('UpdateTenant'),
    examples: {
      rename: { value: { name: 'Acme Inc.' } },
      reroute: { value: { hostnames: ['api.acme.example', 'api.acme.test'], upstreamUrl: null } },
    },
  })
  @ApiOkResponse({ schema: schemaRef('Tenant') })
  @ApiProblems(400, 404, 409, 413, 415)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(updateTenantSchema)) body: UpdateTenantInput,
  ): Promise<Tenant> {
    return this.tenants.update(principal.actor, slug, body);
  }

  @Delete(':slug')
  @HttpCode(204)
  @RootOnly()
  @ApiOperation({ summary: 'Delete a tenant with its policy, origins and keys (root only); its audit trail is kept' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiProblems(404)
  delete(@CurrentPrincipal() principal: Principal, @Param('slug') slug: string): Promise<void> {
    return this.tenants.delete(principal.actor, slug);
  }
}
