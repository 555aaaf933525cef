import {
  MAX_ORIGIN_LENGTH,
  MAX_PATH_PATTERN_LENGTH,
  type OriginRule,
  parseOriginRule,
  parsePathPattern,
  type PathRule,
} from '#dynamic-cors';
import { z } from 'zod';
import { MAX_REGEX_RULES } from '../origins/origin.schema.js';

/** Most origin rules one path rule may have. */
export const MAX_PATH_RULE_ORIGINS = 100;

const pathSchema = z
  .string()
  .max(MAX_PATH_PATTERN_LENGTH, `must be at most ${MAX_PATH_PATTERN_LENGTH} characters`)
  .transform((path, ctx) => {
    const parsed = parsePathPattern(path);
    if (parsed.ok) return parsed.pattern.path;
    ctx.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  })
  .meta({
    description: 'A literal path, `*` for one segment, a trailing `/**` for any rest (matches the bare prefix too)',
    example: '/public/**',
  });

/**
 * One origin rule in the forms `PUT /origins` takes: a string (an origin, a wildcard origin or
 * `*`), `{origin}`, or `{pattern, type: "regex"}`; parsed by the engine's `parseOriginRule`.
 */
export const originSchema = z
  .union(
    [
      z.string().max(MAX_ORIGIN_LENGTH, `must be at most ${MAX_ORIGIN_LENGTH} characters`),
      z.strictObject({ origin: z.string().max(MAX_ORIGIN_LENGTH) }),
      z.strictObject({ pattern: z.string().max(MAX_ORIGIN_LENGTH), type: z.literal('regex') }),
    ],
    'must be an origin string, {"origin": …} or {"pattern": …, "type": "regex"}',
  )
  .transform((input, ctx): Pick<OriginRule, 'kind' | 'value'> => {
    const parsed = parseOriginRule(typeof input === 'string' ? { origin: input } : input);
    if (parsed.ok) return parsed.rule;
    ctx.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  });

/** The policy's field schemas a path rule reuses, so that a rule's fields validate exactly like the policy's. */
type RuleFieldSchemas = Record<'allowedMethods' | 'allowedHeaders' | 'exposedHeaders', z.ZodType<string[]>> &
  Record<'allowCredentials', z.ZodType<boolean>> &
  Record<'maxAge', z.ZodType<number>>;

/** One path rule as written; every field but `path` falls back to the policy's when unset. */
export function pathRuleSchemaFrom(fields: RuleFieldSchemas) {
  return z
    .strictObject({
      path: pathSchema,
      origins: z
        .array(originSchema)
        .max(MAX_PATH_RULE_ORIGINS, `must have at most ${MAX_PATH_RULE_ORIGINS} entries`)
        .refine(
          (rules) => rules.filter((rule) => rule.kind === 'regex').length <= MAX_REGEX_RULES,
          `must have at most ${MAX_REGEX_RULES} regex rules`,
        )
        .optional()
        .meta({ description: 'Replaces the tenant’s origins on this path', example: ['*'] }),
      allowedMethods: fields.allowedMethods.optional(),
      allowedHeaders: fields.allowedHeaders.optional(),
      exposedHeaders: fields.exposedHeaders.optional(),
      allowCredentials: fields.allowCredentials.optional(),
      maxAge: fields.maxAge.optional(),
      disabled: z.boolean().optional().meta({ description: 'No CORS processing at all on this path' }),
    })
    .meta({ id: 'PathRuleInput' });
}


/** A stored path rule as the API returns it: origins in the form they can be sent back in. */
export const pathRuleView = z
  .object({
    path: z.string().meta({ example: '/public/**' }),
    origins: z
      .array(z.union([z.string(), z.object({ pattern: z.string(), type: z.literal('regex') })]))
      .optional(),
    allowedMethods: z.array(z.string()).optional(),
    allowedHeaders: z.array(z.string()).optional(),
    exposedHeaders: z.array(z.string()).optional(),
    allowCredentials: z.boolean().optional(),
    maxAge: z.number().int().optional(),
    disabled: z.boolean().optional(),
  })
  .meta({ id: 'PathRule' });

/** A path rule as the API returns it. */
export type PathRuleView = z.infer<typeof pathRuleView>;

/** The view of a stored rule: unset fields left out, regex origins as `{pattern, type}`. */
export function toPathRuleView(rule: PathRule): PathRuleView {
  const { origins, ...fields } = rule;
  return {
    ...(fields as Omit<PathRuleView, 'origins'>),
    ...(origins === undefined
      ? {}
      : { origins: origins.map((o) => (o.kind === 'regex' ? { pattern: o.value, type: 'regex' as const } : o.value)) }),
  };
}
