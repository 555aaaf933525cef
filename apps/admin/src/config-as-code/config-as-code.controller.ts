import { Controller, Get, Headers, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '#problem-details';
import { API_PREFIX } from '../api-prefix.js';
import { ApiAuthGuard } from '../auth/api-auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { TenantInQuery } from '../auth/tenant-in-query.decorator.js';
import { ApiProblems, schemaRef } from '../docs/api-schemas.js';
import { ZodValidationPipe } from '../validation/zod-validation.pipe.js';
import { ConfigExportService } from './config-export.service.js';
import { ConfigImportService, type ImportResult } from './config-import.service.js';
import { type ExportQuery, exportQuerySchema, type ImportQuery, importQuerySchema } from './config-as-code.schema.js';
import { type ImportFormat, SINGLE_TENANT_FORMATS } from './document/config-model.js';
import { represent } from './export-representation.js';
import { importedDocument } from './import-body.js';

const FORMAT_DOC = 'corsmesh (native), s3 (bucket CORS), kong (decK)';

/**
 * `/api/v1/export` and `/api/v1/import`: configuration as code. Root may export and import
 * everything; a tenant key only its own tenant (`?tenant=`), in the single-tenant formats.
 */
@ApiTags('configuration')
@Controller(API_PREFIX)
@UseGuards(ApiAuthGuard)
export class ConfigAsCodeController {
  constructor(
    private readonly exports: ConfigExportService,
    private readonly imports: ConfigImportService,
  ) {}

  @Get('export')
  @TenantInQuery()
  @ApiOperation({ summary: `Export tenants as a document: ${FORMAT_DOC}; JSON, or YAML / XML (s3) by Accept` })
  @ApiProduces('application/json', 'application/yaml', 'application/xml')
  @ApiHeader({ name: 'Accept', required: false, description: 'application/yaml or application/xml (s3 only) instead of JSON' })
  @ApiOkResponse({
    description: 'The document (`CORS-Export-Losses: <n>` when it cannot say everything); with `report=true`, `{document, losses}`',
    headers: { 'CORS-Export-Losses': { description: 'How many things the document could not represent', schema: { type: 'integer' } } },
  })
  @ApiProblems(400, 404, 406)
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(exportQuerySchema, 'query')) query: ExportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    assertFormatAllowed(principal, query.format);
    const { document, losses } = await this.exports.export(query.format, query.tenant);
    if (losses.length > 0) void reply.header('cors-export-losses', String(losses.length));
    const answer = represent(query.format, query.report ? { document, losses } : document, query.report ? undefined : accept);
    void reply.header('content-type', answer.contentType);
    return answer.body;
  }

  @Post('import')
  @HttpCode(200)
  @TenantInQuery()
  @RouteConfig({ largeBody: true })
  @ApiOperation({
    summary: `Import a document (${FORMAT_DOC}, express cors() options): the plan, applied in one transaction when dryRun=false`,
  })
  @ApiBody({
    description: 'JSON, YAML (application/yaml) or XML (application/xml, S3)',
    schema: { type: 'object' },
    examples: {
      corsmesh: {
        value: {
          version: 1,
          tenants: [
            {
              slug: 'acme',
              name: 'Acme',
              hostnames: ['api.acme.example'],
              upstreamUrl: null,
              policy: { allowedMethods: ['GET', 'POST'], maxAge: 600 },
              origins: [{ origin: 'https://app.acme.example' }],
            },
          ],
        },
      },
      s3: { value: { CORSRules: [{ AllowedOrigins: ['https://www.example.com'], AllowedMethods: ['GET', 'PUT'], MaxAgeSeconds: 3000 }] } },
      express: { value: { origin: ['https://app.example.com'], methods: 'GET,POST', allowedHeaders: ['Content-Type'], credentials: true } },
    },
  })
  @ApiOkResponse({ schema: schemaRef('ImportPlan') })
  @ApiProblems(400, 404, 409, 413, 415)
  async import(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(importQuerySchema, 'query')) query: ImportQuery,
    @Req() request: FastifyRequest,
  ): Promise<ImportResult> {
    assertFormatAllowed(principal, query.format);
    if (query.prune && SINGLE_TENANT_FORMATS.has(query.format))
      throw DomainError.validation([{ field: 'prune', reason: `cannot be true with the ${query.format} format, which describes one tenant` }]);
    const document = importedDocument(request.body, request.headers['content-type']);
    return this.imports.import(principal.actor, {
      format: query.format,
      document,
      dryRun: query.dryRun,
      prune: query.prune,
      ...(query.tenant === undefined ? {} : { tenant: query.tenant }),
    });
  }
}

function assertFormatAllowed(principal: Principal, format: ImportFormat): void {
  if (principal.kind === 'tenant' && !SINGLE_TENANT_FORMATS.has(format)) {
    throw new DomainError('forbidden', `the ${format} format may describe several tenants: it needs the root token (a tenant key may use s3 and express for its own tenant)`);
  }
}
