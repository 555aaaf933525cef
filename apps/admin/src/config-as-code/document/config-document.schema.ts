import { z } from 'zod';
import { replaceOriginsSchema } from '../../origins/origin.schema.js';
import { policyFieldsSchema } from '../../policies/policy.schema.js';
import { hostnamesSchema, nameSchema, slugSchema, upstreamUrlSchema } from '../../tenants/tenant.schema.js';

/** Most tenants one document may import or one export may hold. */
export const MAX_DOCUMENT_TENANTS = 10_000;

/**
 * One tenant of a configuration, whatever format it came from: the admin API's own schemas for
 * each field (`POST /tenants`, `PUT /policy`, `PUT /origins`), every field but `slug` optional.
 */
export const tenantDraftSchema = z.strictObject({
  slug: slugSchema,
  name: nameSchema.optional(),
  hostnames: hostnamesSchema.optional(),
  upstreamUrl: upstreamUrlSchema.nullable().optional(),
  policy: policyFieldsSchema.optional(),
  origins: replaceOriginsSchema.shape.origins.optional(),
});

/** A validated tenant draft. */
export type TenantDraftFields = z.output<typeof tenantDraftSchema>;

/**
 * The native document (SPEC "Configuration as code"): `{version: 1, tenants: [...]}`. Each
 * tenant is complete: what it leaves out is the default (no hostnames, no upstream, the
 * default policy, no origins), so a document says exactly what each tenant it names is.
 */
export const configDocumentSchema = z
  .strictObject({
    version: z.literal(1, 'must be 1'),
    tenants: z
      .array(z.looseObject({}))
      .max(MAX_DOCUMENT_TENANTS, `must have at most ${MAX_DOCUMENT_TENANTS} entries`),
  })
  .meta({ id: 'ConfigDocument', description: 'The native corsmesh configuration document' });
