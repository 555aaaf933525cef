import { Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { API_PREFIX } from '../api-prefix.js';
import { ApiAuthGuard } from '../auth/api-auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { ApiProblems, schemaRef } from '../docs/api-schemas.js';
import { ApiPageQuery } from '../pagination/api-page-query.decorator.js';
import { type Page, type PageQuery, pageQuerySchema } from '../pagination/page.js';
import { etagOf } from '../policies/if-match.js';
import { TenantExistsGuard } from '../tenants/tenant-exists.guard.js';
import { JsonBodyGuard } from '../validation/json-body.guard.js';
import { ZodValidationPipe } from '../validation/zod-validation.pipe.js';
import { VersionRestorer } from './version-restorer.js';
import type { VersionDiffView, VersionItemView, VersionView } from './version.schema.js';
import { VersionsService } from './versions.service.js';

const ETAG = {
  ETag: { description: 'The current version, `"<version>"`: send it as `If-Match` to restore', schema: { type: 'string' } },
};

/** `/api/v1/tenants/{slug}/versions`: the history of a tenant's CORS configuration, and restore. */
@ApiTags('versions')
@Controller(`${API_PREFIX}/tenants/:slug/versions`)
@UseGuards(ApiAuthGuard, TenantExistsGuard, JsonBodyGuard)
export class VersionsController {
  constructor(
    private readonly versions: VersionsService,
    private readonly restorer: VersionRestorer,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s configuration versions, newest first (ETag: the current one)' })
  @ApiPageQuery()
  @ApiOkResponse({ schema: schemaRef('VersionPage'), headers: ETAG })
  @ApiProblems(400, 404)
  async list(
    @Param('slug') slug: string,
    @Query(new ZodValidationPipe(pageQuerySchema, 'query')) query: PageQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<VersionItemView>> {
    const { current, ...page } = await this.versions.list(slug, query);
    void reply.header('etag', etagOf(current));
    return page;
  }

  @Get(':version')
  @ApiOperation({ summary: 'One version: the whole configuration it recorded (policy fields, path rules, origins)' })
  @ApiOkResponse({ schema: schemaRef('Version') })
  @ApiProblems(404)
  get(@Param('slug') slug: string, @Param('version') version: string): Promise<VersionView> {
    return this.versions.get(slug, version);
  }

  @Get(':version/diff')
  @ApiOperation({ summary: 'What going from version `against` to this version changes' })
  @ApiQuery({ name: 'against', required: true, schema: { type: 'integer', minimum: 1 }, description: 'The earlier (or any other) version' })
  @ApiOkResponse({ schema: schemaRef('VersionDiff') })
  @ApiProblems(400, 404)
  diff(
    @Param('slug') slug: string,
    @Param('version') version: string,
    @Query('against') against: string | undefined,
  ): Promise<VersionDiffView> {
    return this.versions.diff(slug, version, typeof against === 'string' ? against : undefined);
  }

  @Post(':version/restore')
  @HttpCode(200)
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The current version as `GET …/versions` lists it first (its ETag), e.g. `"7"`; stale → 412',
  })
  @ApiOperation({ summary: 'Make the configuration what this version recorded, as a new version (audited)' })
  @ApiOkResponse({ schema: schemaRef('Version'), headers: ETAG })
  @ApiProblems(400, 404, 412)
  async restore(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Param('version') version: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VersionView> {
    const restored = await this.restorer.restore(principal.actor, slug, version, ifMatch);
    void reply.header('etag', etagOf(restored.version));
    return restored;
  }
}
