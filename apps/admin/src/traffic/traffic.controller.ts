import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { API_PREFIX } from '../api-prefix.js';
import { ApiAuthGuard } from '../auth/api-auth.guard.js';
import { ApiProblems, schemaRef } from '../docs/api-schemas.js';
import { TenantExistsGuard } from '../tenants/tenant-exists.guard.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { JsonBodyGuard } from '../validation/json-body.guard.js';
import { ZodValidationPipe } from '../validation/zod-validation.pipe.js';
import { PreviewService } from './preview.service.js';
import { TrafficRepository } from './traffic.repository.js';
import {
  type PreviewRequest,
  previewRequestSchema,
  type PreviewView,
  trafficQuerySchema,
  type TrafficView,
  type TrafficWindow,
} from './traffic.schema.js';

/** `/api/v1/tenants/{slug}/traffic` and `…/policy/preview`: what the gateways saw, and what a change would do to it. */
@ApiTags('traffic')
@Controller(`${API_PREFIX}/tenants/:slug`)
@UseGuards(ApiAuthGuard, TenantExistsGuard, JsonBodyGuard)
export class TrafficController {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly traffic: TrafficRepository,
    private readonly previews: PreviewService,
  ) {}

  @Get('traffic')
  @ApiOperation({ summary: 'Allowed, refused and preflight counts over a window, with refusals by reason' })
  @ApiQuery({ name: 'window', required: false, enum: ['1h', '24h', '7d'], description: '12, 24 or 28 buckets; default 24h' })
  @ApiOkResponse({ schema: schemaRef('Traffic') })
  @ApiProblems(400, 404)
  async get(
    @Param('slug') slug: string,
    @Query(new ZodValidationPipe(trafficQuerySchema, 'query')) query: { window: TrafficWindow },
  ): Promise<TrafficView> {
    return this.traffic.traffic(await this.tenants.requireRef(slug), query.window);
  }

  @Post('policy/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'What a proposed policy or origin list would newly refuse or allow, replaying the last 7 days of traffic; saves nothing',
  })
  @ApiBody({
    schema: schemaRef('PolicyPreviewRequest'),
    examples: {
      origins: { value: { origins: ['https://app.example.com'] } },
      methods: { value: { allowedMethods: ['GET'] } },
    },
  })
  @ApiOkResponse({ schema: schemaRef('PolicyPreview') })
  @ApiProblems(400, 404, 413, 415)
  preview(
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(previewRequestSchema)) body: PreviewRequest,
  ): Promise<PreviewView> {
    return this.previews.preview(slug, body);
  }
}
