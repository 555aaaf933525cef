import { REFUSAL_REASONS } from '#dynamic-cors';
import { z } from 'zod';
import { MAX_ORIGINS, MAX_REGEX_RULES } from '../origins/origin.schema.js';
import { originSchema } from '../policies/path-rule.schema.js';
import { patchPolicySchema } from '../policies/policy.schema.js';

const reason = z.enum(REFUSAL_REASONS).meta({ example: 'origin_not_listed' });

/** One refused (origin, reason), summed over every gateway. */
export const refusalView = z
  .object({
    id: z.uuid(),
    origin: z.string().meta({ description: 'As the browser sent it (cut at 256 characters)', example: 'https://app.example.com' }),
    reason,
    mode: z.enum(['enforce', 'report-only']).meta({ description: 'The policy mode at the last refusal; report-only requests passed' }),
    count: z.number().int(),
    firstSeenAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    methods: z.array(z.string()).meta({ description: 'Request methods, or requested methods of preflights (at most 16)', example: ['GET', 'PUT'] }),
    requestHeaders: z.array(z.string()).meta({ description: 'Requested header names, lower-case (at most 16)', example: ['x-trace'] }),
    samplePath: z.string().meta({ description: 'A recent path, after the tenant prefix, query cut', example: '/v1/orders' }),
  })
  .meta({ id: 'Refusal' });

export type RefusalView = z.infer<typeof refusalView>;

export const refusalPageView = z
  .object({ items: z.array(refusalView), nextCursor: z.string().nullable() })
  .meta({ id: 'RefusalPage', description: 'Most recently seen first' });

/** `?window=` of the traffic chart: its length and bucket width. */
export const TRAFFIC_WINDOWS = {
  '1h': { buckets: 12, stepMs: 5 * 60_000 },
  '24h': { buckets: 24, stepMs: 60 * 60_000 },
  '7d': { buckets: 28, stepMs: 6 * 60 * 60_000 },
} as const;
export type TrafficWindow = keyof typeof TRAFFIC_WINDOWS;

export const trafficQuerySchema = z.object({
  window: z.enum(['1h', '24h', '7d'], 'must be 1h, 24h or 7d').default('24h'),
});

export const trafficView = z
  .object({
    window: z.enum(['1h', '24h', '7d']),
    bucketSeconds: z.number().int().meta({ example: 300 }),
    buckets: z.array(
      z.object({
        start: z.iso.datetime(),
        allowed: z.number().int().meta({ description: 'Allowed cross-origin requests and preflights' }),
        refused: z.number().int().meta({ description: 'Refused ones, report-only included' }),
        preflights: z.number().int().meta({ description: 'Preflights, allowed or refused' }),
      }),
    ),
    refusedByReason: z.record(z.string(), z.number().int()).meta({ example: { origin_not_listed: 12 } }),
  })
  .meta({ id: 'Traffic', description: 'Cross-origin decisions (requests with an Origin other than their own) over the window, oldest bucket first' });

export type TrafficView = z.infer<typeof trafficView>;

/**
 * `POST /policy/preview`: the policy fields to change (as `PATCH /policy` takes them) and, to
 * change them too, the whole list of origins (as `PUT /origins` and path rules take them).
 * Anything left out is the tenant's current value.
 */
export const previewRequestSchema = z
  .strictObject({
    ...patchPolicySchema.shape,
    origins: z
      .array(originSchema)
      .max(MAX_ORIGINS, `must have at most ${MAX_ORIGINS} entries`)
      .refine((rules) => rules.filter((rule) => rule.kind === 'regex').length <= MAX_REGEX_RULES, `must have at most ${MAX_REGEX_RULES} regex rules`)
      .optional()
      .meta({ description: 'The proposed whole list of origin rules', example: ['https://app.example.com'] }),
  })
  .meta({ id: 'PolicyPreviewRequest' });

export type PreviewRequest = z.output<typeof previewRequestSchema>;

const previewItem = z.object({
  origin: z.string(),
  method: z.string(),
  requestHeaders: z.array(z.string()).meta({ description: 'Requested header names (preflights)' }),
  count: z.number().int().meta({ description: 'Requests and preflights seen in the last 7 days' }),
  lastSeenAt: z.iso.datetime(),
  reason: reason.optional().meta({ description: 'Why the proposal would refuse it (wouldRefuse only)' }),
});

export type PreviewItem = z.infer<typeof previewItem>;

export const previewView = z
  .object({
    wouldRefuse: z.array(previewItem).meta({ description: 'Allowed now, refused by the proposal; most frequent first (at most 200)' }),
    wouldAllow: z.array(previewItem).meta({ description: 'Refused now, allowed by the proposal; most frequent first (at most 200)' }),
    replayed: z.number().int().meta({ description: 'Distinct (origin, method, requested headers) replayed' }),
  })
  .meta({ id: 'PolicyPreview' });

export type PreviewView = z.infer<typeof previewView>;
