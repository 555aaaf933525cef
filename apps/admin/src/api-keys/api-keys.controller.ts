import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { API_PREFIX } from '../api-prefix.js';
import { ApiAuthGuard } from '../auth/api-auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { ApiProblems, schemaRef } from '../docs/api-schemas.js';
import { JsonBodyGuard } from '../validation/json-body.guard.js';
import { ZodValidationPipe } from '../validation/zod-validation.pipe.js';
import {
  type ApiKeyView,
  type CreateApiKeyInput,
  createApiKeySchema,
  type CreatedApiKeyView,
} from './api-key.schema.js';
import { ApiKeysService } from './api-keys.service.js';

/** `/api/v1/tenants/{slug}/api-keys`: keys that may manage this tenant only. */
@ApiTags('api-keys')
@Controller(`${API_PREFIX}/tenants/:slug/api-keys`)
@UseGuards(ApiAuthGuard, JsonBodyGuard)
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s API keys (never their secrets)' })
  @ApiOkResponse({ schema: schemaRef('ApiKeyList') })
  @ApiProblems(404)
  async list(@Param('slug') slug: string): Promise<{ items: ApiKeyView[] }> {
    return { items: await this.keys.list(slug) };
  }

  @Post()
  @ApiOperation({ summary: 'Create a key for this tenant; its secret is in this response only' })
  @ApiBody({ schema: schemaRef('CreateApiKey'), examples: { ci: { value: { name: 'CI deploy' } } } })
  @ApiResponse({ status: 201, description: 'The key and its secret', schema: schemaRef('CreatedApiKey') })
  @ApiProblems(400, 404, 413, 415)
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(createApiKeySchema)) body: CreateApiKeyInput,
  ): Promise<CreatedApiKeyView> {
    return this.keys.create(principal, slug, body.name);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a key: it, and every key created with it (transitively), stop working at once',
  })
  @ApiResponse({ status: 204, description: 'Revoked' })
  @ApiProblems(404)
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Param('id') id: string,
  ): Promise<void> {
    return this.keys.revoke(principal.actor, slug, id);
  }
}
