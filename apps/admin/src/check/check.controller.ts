import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_PREFIX } from '../api-prefix.js';
import { ApiAuthGuard } from '../auth/api-auth.guard.js';
import { ApiProblems, schemaRef } from '../docs/api-schemas.js';
import { JsonBodyGuard } from '../validation/json-body.guard.js';
import { ZodValidationPipe } from '../validation/zod-validation.pipe.js';
import { type CheckRequest, checkRequestSchema, type CheckResult } from './check.schema.js';
import { CheckService } from './check.service.js';
import { TenantExistsGuard } from '../tenants/tenant-exists.guard.js';

/** `/api/v1/tenants/{slug}/check`: explain what the gateway would answer to a browser request. */
@ApiTags('check')
@Controller(`${API_PREFIX}/tenants/:slug/check`)
@UseGuards(ApiAuthGuard, TenantExistsGuard, JsonBodyGuard)
export class CheckController {
  constructor(private readonly checks: CheckService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'What the gateway would answer to this request, with the rule that matched or why not' })
  @ApiBody({
    schema: schemaRef('CheckRequest'),
    examples: {
      preflight: {
        value: { origin: 'https://a.example.com', method: 'PUT', requestHeaders: ['Content-Type'], credentials: true },
      },
      simple: { value: { origin: 'https://a.example.com', method: 'GET' } },
    },
  })
  @ApiOkResponse({ schema: schemaRef('CheckResult') })
  @ApiProblems(400, 404, 413, 415)
  check(
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(checkRequestSchema)) body: CheckRequest,
  ): Promise<CheckResult> {
    return this.checks.check(slug, body);
  }
}
