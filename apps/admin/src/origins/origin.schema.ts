import { MAX_ORIGIN_LENGTH, type OriginRuleInput } from '#dynamic-cors';
import { z } from 'zod';

/** Most origin rules one tenant may have. */
export const MAX_ORIGINS = 1000;
/**
 * Most regex rules one tenant may have: each is checked for catastrophic backtracking with a
 * bounded but not free analysis, so one request cannot make the admin API analyse thousands.
 */
export const MAX_REGEX_RULES = 20;

/** Longest note on an origin rule. */
export const MAX_NOTE_LENGTH = 500;

/** What an origin rule carries besides the rule itself. */
export interface OriginRuleExtras {
  /** When the rule stops matching; null: never. */
  readonly expiresAt: Date | null;
  readonly note: string | null;
}

/** A submitted rule: the rule for the CORS engine, and its expiry and note. */
export type OriginRuleRequest = OriginRuleInput & OriginRuleExtras;

const expiresAtSchema = z.iso
  .datetime({ offset: true, abort: true, error: 'must be an ISO 8601 date and time, e.g. 2026-12-31T23:59:59Z' })
  .refine((value) => Date.parse(value) > Date.now(), 'must be in the future')
  .nullable()
  .optional()
  .meta({
    description: 'When the rule stops matching (in the future); every gateway drops it within a second of this time',
    example: '2026-12-31T23:59:59Z',
  });

const noteSchema = z
  .string()
  .max(MAX_NOTE_LENGTH, `must be at most ${MAX_NOTE_LENGTH} characters`)
  .nullable()
  .optional()
  .meta({ description: 'Free text, e.g. a ticket', example: 'PR #482 preview' });

/**
 * One rule as submitted: `{origin}` (exact, wildcard `https://*.example.com` or `*`) or
 * `{pattern, type: "regex"}`. Only the shape is checked here; what the rule means is checked by
 * the CORS engine's `parseOriginRule`, the same code that compiles it for the gateway.
 */
export const originRuleInputSchema = z
  .strictObject({
    origin: z
      .string()
      .max(MAX_ORIGIN_LENGTH, `must be at most ${MAX_ORIGIN_LENGTH} characters`)
      .optional()
      .meta({
        description: 'An origin, a wildcard origin (never over a public suffix such as `*.co.uk`) or `*`',
        example: 'https://*.example.com',
      }),
    pattern: z
      .string()
      .max(MAX_ORIGIN_LENGTH, `must be at most ${MAX_ORIGIN_LENGTH} characters`)
      .optional()
      .meta({
        description:
          'An anchored regular expression over the lower-case origin, matched in linear time; with credentials it must end in a literal registrable domain',
        example: '^https://app-[a-z0-9]+\\.example\\.com$',
      }),
    type: z.literal('regex', 'must be "regex"').optional(),
    expiresAt: expiresAtSchema,
    note: noteSchema,
  })
  .superRefine((rule, ctx) => {
    if (rule.origin !== undefined && rule.pattern !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'send either origin or pattern, not both' });
    } else if (rule.origin === undefined && rule.pattern === undefined) {
      ctx.addIssue({ code: 'custom', path: ['origin'], message: 'is required, or a pattern with type "regex"' });
    } else if (rule.pattern !== undefined && rule.type === undefined) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'must be "regex" when a pattern is sent' });
    } else if (rule.origin !== undefined && rule.type !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'goes only with a pattern' });
    }
  })
  .transform((rule): OriginRuleRequest => {
    const extras: OriginRuleExtras = {
      expiresAt: rule.expiresAt == null ? null : new Date(rule.expiresAt),
      note: rule.note == null || rule.note === '' ? null : rule.note,
    };
    return rule.pattern !== undefined
      ? { pattern: rule.pattern, type: 'regex', ...extras }
      : { origin: rule.origin ?? '', ...extras };
  })
  .meta({
    id: 'OriginRuleInput',
    description: '`{"origin": …}` or `{"pattern": …, "type": "regex"}`, optionally with `expiresAt` and `note`',
  });

/** `PUT /tenants/{slug}/origins`. */
export const replaceOriginsSchema = z
  .strictObject({
    origins: z
      .array(originRuleInputSchema)
      .max(MAX_ORIGINS, `must have at most ${MAX_ORIGINS} entries`)
      .refine(
        (rules) => rules.filter((rule) => 'pattern' in rule).length <= MAX_REGEX_RULES,
        `must have at most ${MAX_REGEX_RULES} regex rules`,
      ),
  })
  .meta({ id: 'ReplaceOrigins' });

/** A validated `PUT` body. */
export type ReplaceOriginsInput = z.output<typeof replaceOriginsSchema>;

/** A stored rule as the API returns it: normalised, as the gateway matches it. */
export const originRuleView = z
  .object({
    id: z.uuid().meta({ example: '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5' }),
    kind: z.enum(['exact', 'wildcard', 'regex', 'any']).meta({ example: 'wildcard' }),
    value: z.string().meta({ description: 'The normalised rule', example: 'https://*.example.com' }),
    createdAt: z.iso.datetime().meta({ example: '2026-11-25T13:00:00.000Z' }),
    expiresAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'When the rule stops (or stopped) matching; null: never', example: null }),
    expired: z.boolean().meta({ description: 'Whether `expiresAt` has passed: the rule no longer matches', example: false }),
    note: z.string().nullable().meta({ example: null }),
    lastMatchedAt: z.iso.datetime().nullable().meta({
      description: 'When a request or preflight last matched this rule, to within the gateways’ 5 s flush; null if never',
      example: '2026-11-25T14:00:00.000Z',
    }),
    matchCount: z.number().int().meta({ description: 'Requests and preflights that matched this rule, on every gateway', example: 42 }),
  })
  .meta({ id: 'OriginRule' });

/** A stored rule as the API returns it. */
export type OriginRuleView = z.infer<typeof originRuleView>;

/** A tenant's rules. */
export const originRuleListView = z.object({ items: z.array(originRuleView) }).meta({ id: 'OriginRuleList' });
