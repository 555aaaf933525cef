import { Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { z } from 'zod';
import { apiKeyListView, createApiKeySchema, createdApiKeyView } from '../api-keys/api-key.schema.js';
import { auditEventPageView } from '../audit/audit-event.js';
import { checkRequestSchema, checkResultView } from '../check/check.schema.js';
import { exportReportView, importPlanView } from '../config-as-code/config-as-code.schema.js';
import { originRuleInputSchema, originRuleListView, replaceOriginsSchema } from '../origins/origin.schema.js';
import { pathRuleView } from '../policies/path-rule.schema.js';
import { patchPolicySchema, pathRuleSchema, policyView, replacePolicySchema } from '../policies/policy.schema.js';
import { tenantPageView } from '../tenants/tenant.js';
import { previewRequestSchema, previewView, refusalPageView, refusalView, trafficView } from '../traffic/traffic.schema.js';
import { createTenantSchema, updateTenantSchema } from '../tenants/tenant.schema.js';
import { versionDiffView, versionPageView, versionView } from '../versions/version.schema.js';
import { problemView } from './api-schemas.js';

// Every schema a route refers to by id. Listed (not just imported for their types) so that
// their modules are loaded and their `.meta({ id })` is in zod's registry when it is converted.
const DOCUMENTED_SCHEMAS: readonly z.ZodType[] = [
  problemView,
  createTenantSchema,
  updateTenantSchema,
  tenantPageView,
  replacePolicySchema,
  patchPolicySchema,
  policyView,
  pathRuleSchema,
  pathRuleView,
  originRuleInputSchema,
  replaceOriginsSchema,
  originRuleListView,
  createApiKeySchema,
  createdApiKeyView,
  apiKeyListView,
  auditEventPageView,
  checkRequestSchema,
  checkResultView,
  importPlanView,
  exportReportView,
  refusalView,
  refusalPageView,
  trafficView,
  previewRequestSchema,
  previewView,
  versionPageView,
  versionView,
  versionDiffView,
];

/**
 * The OpenAPI document of the admin app, built once from Nest's route metadata (routes,
 * parameters, responses) and the zod schemas the routes validate with (bodies and results).
 */
@Injectable()
export class OpenApiDocument {
  private document: OpenAPIObject | undefined;

  /** Builds the document; called by `createAdminApp` once every route is registered. */
  build(app: NestFastifyApplication): void {
    const config = new DocumentBuilder()
      .setTitle('corsmesh admin API')
      .setDescription(
        'Manage tenants and their CORS policies at run time. Authenticate with `Authorization: Bearer <token>`: ' +
          'the root token (`ADMIN_TOKEN`) or a tenant API key (`cmk_…`), which may manage its own tenant only. ' +
          'Errors are `application/problem+json` (RFC 9457). Changes reach every gateway within a second.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build();
    const document = SwaggerModule.createDocument(app, config);
    document.components = { ...document.components, schemas: { ...zodSchemas(), ...document.components?.schemas } };
    this.document = document;
  }

  get(): OpenAPIObject {
    if (this.document === undefined)
      throw new Error('the OpenAPI document was not built: call build(app) after creating the app');
    return this.document;
  }
}

function zodSchemas(): Record<string, object> {
  if (DOCUMENTED_SCHEMAS.some((schema) => z.globalRegistry.get(schema)?.id === undefined)) {
    throw new Error('a documented schema has no .meta({ id })');
  }
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'openapi-3.0',
    // Bodies are documented as clients write them (before defaults and normalisation).
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}
