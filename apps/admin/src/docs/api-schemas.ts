import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * The request and response schemas are zod schemas (the repo's one validation library) with a
 * `.meta({ id })`; the OpenAPI document takes them from zod's registry, so what is documented
 * is what is validated. Routes refer to them with {@link schemaRef}.
 */
export function schemaRef(id: string): { $ref: string } {
  return { $ref: `#/components/schemas/${id}` };
}

/** An RFC 9457 problem document, as every error of the API is. */
export const problemView = z
  .object({
    type: z.string().meta({ example: 'urn:corsmesh:problem:validation_failed' }),
    title: z.string().meta({ example: 'Bad Request' }),
    status: z.number().int().meta({ example: 400 }),
    detail: z.string().meta({ example: 'origins[2]: origin must not have a path' }),
    instance: z.string().optional().meta({ example: '/api/v1/tenants/acme/origins' }),
    code: z.string().optional().meta({ example: 'validation_failed' }),
    invalidFields: z
      .array(z.object({ field: z.string().meta({ example: 'origins[2]' }), reason: z.string() }))
      .optional()
      .meta({ description: 'For 400: each failing field (JSON path) and why' }),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'application/problem+json (RFC 9457)' });

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `invalidFields` names each failing field',
  401: 'Missing or invalid bearer token (`WWW-Authenticate: Bearer`)',
  403: 'The API key may not use this route (another tenant, or root only)',
  404: 'No such tenant or resource',
  406: 'The format has no representation of the kind `Accept` asks for',
  409: 'Conflicts with an existing resource',
  412: 'The version is stale (`If-Match` or `version`): read it again',
  413: 'Request body larger than ADMIN_BODY_LIMIT_BYTES (ADMIN_IMPORT_BODY_LIMIT_BYTES for an import)',
  415: 'The body is not application/json (an import: not JSON, YAML or XML)',
  429: 'A wrong token after too many failed authentications from this address or against this key (`Retry-After`)',
};

/** Documents bearer auth and the problem responses a route can give (401, 403 and 429 always). */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  const all = [...new Set([...statuses, 401, 403, 429])].sort();
  return applyDecorators(
    ApiBearerAuth(),
    ...all.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: schemaRef('Problem') } },
      }),
    ),
  );
}
