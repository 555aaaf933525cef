import { Body, Controller, Get, Headers, Param, Patch, Put, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { API_PREFIX } from '../api-prefix.js';
import { ApiAuthGuard } from '../auth/api-auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { ApiProblems, schemaRef } from '../docs/api-schemas.js';
import { JsonBodyGuard } from '../validation/json-body.guard.js';
import { ZodValidationPipe } from '../validation/zod-validation.pipe.js';
import { etagOf, versionPrecondition } from './if-match.js';
import { PoliciesService } from './policies.service.js';
import {
  type PatchPolicyInput,
  patchPolicySchema,
  type PolicyView,
  type ReplacePolicyInput,
  replacePolicySchema,
} from './policy.schema.js';
import { TenantExistsGuard } from '../tenants/tenant-exists.guard.js';

const IF_MATCH = ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'The `ETag` you read, e.g. `"3"`. Required unless the body has `version`; stale → 412',
});
const ETAG = { ETag: { description: 'The policy version, `"<version>"`', schema: { type: 'string', example: '"4"' } } };

/** `/api/v1/tenants/{slug}/policy`: the CORS policy fields, origins aside, with optimistic concurrency. */
@ApiTags('policy')
@Controller(`${API_PREFIX}/tenants/:slug/policy`)
@UseGuards(ApiAuthGuard, TenantExistsGuard, JsonBodyGuard)
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s policy (ETag: its version)' })
  @ApiOkResponse({ schema: schemaRef('Policy'), headers: ETAG })
  @ApiProblems(404)
  async get(@Param('slug') slug: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<PolicyView> {
    return withEtag(reply, await this.policies.get(slug));
  }

  @Put()
  @IF_MATCH
  @ApiOperation({ summary: 'Replace every policy field; increments the version' })
  @ApiBody({
    schema: schemaRef('ReplacePolicy'),
    examples: {
      spa: {
        value: {
          allowedMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
          allowedHeaders: ['Content-Type', 'Authorization'],
          exposedHeaders: ['X-Request-Id'],
          allowCredentials: true,
          maxAge: 600,
          allowPrivateNetwork: false,
          mode: 'enforce',
          pathRules: [
            { path: '/public/**', origins: ['*'], allowedMethods: ['GET'], allowCredentials: false },
            { path: '/webhooks/**', disabled: true },
          ],
          preflightStatus: 204,
          timingAllowOrigin: false,
          debugHeader: false,
          version: 1,
        },
      },
    },
  })
  @ApiOkResponse({ schema: schemaRef('Policy'), headers: ETAG })
  @ApiProblems(400, 404, 412, 413, 415)
  async replace(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body(new ZodValidationPipe(replacePolicySchema)) body: ReplacePolicyInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PolicyView> {
    const { version, updatedAt: _readOnly, warnings: _warnings, ...fields } = body;
    const precondition = versionPrecondition(ifMatch, version);
    return withEtag(
      reply,
      await this.policies.change(principal.actor, slug, { kind: 'replace', fields }, precondition),
    );
  }

  @Patch()
  @IF_MATCH
  @ApiOperation({ summary: 'Change some policy fields; increments the version' })
  @ApiBody({
    schema: schemaRef('PatchPolicy'),
    examples: { reportOnly: { value: { mode: 'report-only', version: 3 } } },
  })
  @ApiOkResponse({ schema: schemaRef('Policy'), headers: ETAG })
  @ApiProblems(400, 404, 412, 413, 415)
  async patch(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body(new ZodValidationPipe(patchPolicySchema)) body: PatchPolicyInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PolicyView> {
    const precondition = versionPrecondition(ifMatch, body.version);
    return withEtag(
      reply,
      await this.policies.change(principal.actor, slug, { kind: 'patch', fields: body }, precondition),
    );
  }
}

function withEtag(reply: FastifyReply, policy: PolicyView): PolicyView {
  void reply.header('etag', etagOf(policy.version));
  return policy;
}
