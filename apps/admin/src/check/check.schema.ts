import { isHttpToken, MAX_ORIGIN_LENGTH, REFUSAL_REASONS } from '#dynamic-cors';
import { z } from 'zod';

/** `POST /tenants/{slug}/check`: a browser request to decide as the gateway would. */
export const checkRequestSchema = z
  .strictObject({
    origin: z
      .string()
      .max(MAX_ORIGIN_LENGTH, `must be at most ${MAX_ORIGIN_LENGTH} characters`)
      .meta({ description: 'The page’s origin (the Origin header)', example: 'https://a.example.com' }),
    method: z
      .string()
      .max(64, 'must be at most 64 characters')
      .refine(isHttpToken, 'is not a valid HTTP method')
      .meta({ example: 'PUT' }),
    requestHeaders: z
      .union(
        [
          z.array(z.string().max(256, 'must be at most 256 characters')).max(100, 'must have at most 100 entries'),
          z.string().max(8192, 'must be at most 8192 characters'),
        ],
        'must be a list of header names or a comma-separated string',
      )
      .optional()
      .meta({
        description:
          'Headers the page sets that are not CORS-safelisted (what Access-Control-Request-Headers would list)',
        example: ['Content-Type', 'X-Api-Version'],
      }),
    credentials: z
      .boolean()
      .optional()
      .meta({ description: 'The page sends cookies or Authorization (`credentials: "include"`)', example: false }),
    preflight: z
      .boolean()
      .optional()
      .meta({
        description:
          'Decide the preflight; default: whether a browser would send one (method not GET/HEAD/POST, or headers listed)',
      }),
    privateNetwork: z.boolean().optional().meta({ description: 'The preflight asks for private network access' }),
    path: z
      .string()
      .max(2048, 'must be at most 2048 characters')
      .startsWith('/', 'must start with /')
      .optional()
      .meta({
        description: 'The request path after the tenant prefix (`/t/<slug>`), to apply the matching path rule',
        example: '/public/logo.png',
      }),
  })
  .meta({ id: 'CheckRequest' });

/** A validated check request. */
export type CheckRequest = z.output<typeof checkRequestSchema>;


/** What the gateway would answer, and why. */
export const checkResultView = z
  .object({
    allowed: z
      .boolean()
      .meta({ description: 'Whether the browser would let the page make the request and read the response' }),
    kind: z.enum(['preflight', 'actual']).meta({ description: 'Which request was decided' }),
    mode: z.enum(['enforce', 'report-only']),
    blocked: z
      .boolean()
      .meta({ description: 'Whether the gateway would refuse it with 403 (refused in enforce mode)' }),
    matchedRule: z
      .object({ id: z.string().optional(), kind: z.enum(['exact', 'wildcard', 'regex', 'any']), value: z.string() })
      .optional()
      .meta({ description: 'The origin rule that matched, if one did' }),
    reasons: z.array(z.string()).meta({
      example: [
        'origin https://a.example.com matched rule https://*.example.com',
        'method PUT is not in allowedMethods',
      ],
    }),
    refusal: z
      .enum(REFUSAL_REASONS)
      .optional()
      .meta({ description: 'When refused: the code of the first reason', example: 'method_not_allowed' }),
    headers: z.record(z.string(), z.string()).meta({
      description: 'The CORS response headers (lower-case names), `vary` included',
      example: { 'access-control-allow-origin': 'https://a.example.com', vary: 'Origin' },
    }),
    warnings: z.array(z.string()).meta({
      description: 'Stored rules or entries the engine had to ignore, and what browsers will not honour (maxAge above 7200)',
    }),
    pathRule: z
      .object({ index: z.number().int().meta({ description: '0-based position in pathRules' }), path: z.string() })
      .optional()
      .meta({ description: 'The path rule that applied, if one matched `path`' }),
    policyVersion: z.number().int().meta({ example: 3 }),
  })
  .meta({ id: 'CheckResult' });

/** What the gateway would answer, and why. */
export type CheckResult = z.infer<typeof checkResultView>;
