import {
  FORBIDDEN_METHODS,
  isHttpToken,
  MAX_LIST_ENTRIES,
  MAX_MAX_AGE,
  MAX_PATH_RULES,
  normaliseMethod,
  policyWarnings,
} from '#dynamic-cors';
import { z } from 'zod';
import { pathRuleSchemaFrom, pathRuleView, toPathRuleView } from './path-rule.schema.js';

const methodSchema = z.string().superRefine((method, ctx) => {
  if (!isHttpToken(method)) ctx.addIssue({ code: 'custom', message: 'is not a valid HTTP method (an RFC 9110 token)' });
  // https://fetch.spec.whatwg.org/#forbidden-method: a browser never sends these.
  else if (FORBIDDEN_METHODS.has(method.toUpperCase()))
    ctx.addIssue({ code: 'custom', message: `method ${method} is forbidden by the Fetch standard` });
});

const headerNameSchema = z.string().refine(isHttpToken, 'is not a valid header name (an RFC 9110 token)');

/** Duplicates go: methods as browsers normalise them, header names case-insensitively. */
function uniqueBy(key: (value: string) => string) {
  return (values: string[]): string[] => {
    const seen = new Set<string>();
    return values.filter((value) => !seen.has(key(value)) && seen.add(key(value)) !== undefined);
  };
}

const listOf = (item: z.ZodType<string>) =>
  z.array(item).max(MAX_LIST_ENTRIES, `must have at most ${MAX_LIST_ENTRIES} entries`);

/** The editable policy fields (SPEC "Policy model"), origins aside: they have their own routes. */
const policyFields = {
  allowedMethods: listOf(methodSchema)
    .transform((methods) => uniqueBy((m) => m)(methods.map(normaliseMethod)))
    .meta({
      description:
        'Methods allowed cross-origin, the whole list (GET, HEAD and POST get no pass of their own); `*` for any (echoed when credentials are allowed)',
      example: ['GET', 'HEAD', 'POST', 'PUT'],
    }),
  allowedHeaders: listOf(headerNameSchema)
    .transform(uniqueBy((h) => h.toLowerCase()))
    .meta({
      description: 'Request headers allowed (case-insensitive); `*` for any except Authorization',
      example: ['Content-Type', 'Authorization'],
    }),
  exposedHeaders: listOf(headerNameSchema)
    .transform(uniqueBy((h) => h.toLowerCase()))
    .meta({
      description: 'Response headers readable by the page; `*` only without credentials',
      example: ['X-Request-Id'],
    }),
  allowCredentials: z
    .boolean()
    .meta({
      description:
        'Cookies and Authorization cross-origin; refused while origin `*`, `null` or a regex reaching beyond one registrable domain is allowed',
      example: false,
    }),
  maxAge: z
    .number()
    .int('must be a whole number of seconds')
    .min(0, 'must be at least 0')
    .max(MAX_MAX_AGE, `must be at most ${MAX_MAX_AGE} (one day)`)
    .meta({ description: 'Preflight cache lifetime, seconds', example: 600 }),
  allowPrivateNetwork: z
    .boolean()
    .meta({ description: 'Answer Access-Control-Request-Private-Network', example: false }),
  mode: z
    .enum(['enforce', 'report-only'], 'must be "enforce" or "report-only"')
    .meta({ description: '`report-only` decides and logs but never blocks', example: 'enforce' }),
};

/**
 * Added in the second wave: optional on `PUT` too, where leaving one out keeps its stored value,
 * so that a client written before them cannot reset them by omission.
 */
/** A path rule's fields validate as the policy's own. */
export const pathRuleSchema = pathRuleSchemaFrom(policyFields);

const laterFields = {
  pathRules: z
    .array(pathRuleSchema)
    .max(MAX_PATH_RULES, `must have at most ${MAX_PATH_RULES} entries`)
    .meta({ description: 'Ordered; the first rule whose `path` matches the request path applies' }),
  preflightStatus: z
    .union([z.literal(204), z.literal(200)], 'must be 204 or 200')
    .meta({ description: 'Status of an answered preflight; 200 for old clients', example: 204 }),
  timingAllowOrigin: z
    .boolean()
    .meta({ description: 'Add `Timing-Allow-Origin: <origin>` to allowed actual responses', example: false }),
  debugHeader: z.boolean().meta({
    description:
      'Every tenant response carries `CORS-Decision: allowed|refused; reason=<code>[; rule=<rule id>]` (rule ids only, never values)',
    example: false,
  }),
};

/**
 * Every editable policy field, each optional (strict: an unknown field is refused): the policy
 * of a tenant in a configuration document, validated exactly as the policy routes validate it.
 */
export const policyFieldsSchema = z.strictObject({ ...policyFields, ...laterFields }).partial();

const versionSchema = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .meta({ description: 'The version this change is based on; or send `If-Match: "<version>"`', example: 3 });

/**
 * What `GET` returns besides the policy fields and `version`: accepted and ignored by writes,
 * so that what `GET` returns can be `PUT` back unchanged (SPEC "Round trip").
 */
const readOnlyFields = {
  updatedAt: z.unknown().optional().meta({ description: 'Read-only: ignored when sent' }),
  warnings: z.unknown().optional().meta({ description: 'Read-only: ignored when sent' }),
};

/** `PUT /tenants/{slug}/policy`: every field, so that nothing is reset by omission. */
export const replacePolicySchema = z
  .strictObject({
    ...policyFields,
    pathRules: laterFields.pathRules.optional(),
    preflightStatus: laterFields.preflightStatus.optional(),
    timingAllowOrigin: laterFields.timingAllowOrigin.optional(),
    debugHeader: laterFields.debugHeader.optional(),
    version: versionSchema.optional(),
    ...readOnlyFields,
  })
  .meta({ id: 'ReplacePolicy' });

/** `PATCH /tenants/{slug}/policy`: the fields to change. */
export const patchPolicySchema = z
  .strictObject({
    allowedMethods: policyFields.allowedMethods.optional(),
    allowedHeaders: policyFields.allowedHeaders.optional(),
    exposedHeaders: policyFields.exposedHeaders.optional(),
    allowCredentials: policyFields.allowCredentials.optional(),
    maxAge: policyFields.maxAge.optional(),
    allowPrivateNetwork: policyFields.allowPrivateNetwork.optional(),
    mode: policyFields.mode.optional(),
    pathRules: laterFields.pathRules.optional(),
    preflightStatus: laterFields.preflightStatus.optional(),
    timingAllowOrigin: laterFields.timingAllowOrigin.optional(),
    debugHeader: laterFields.debugHeader.optional(),
    version: versionSchema.optional(),
    ...readOnlyFields,
  })
  .refine(
    ({ version: _version, updatedAt: _updatedAt, warnings: _warnings, ...fields }) => Object.values(fields).some((v) => v !== undefined),
    'must change at least one policy field',
  )
  .meta({ id: 'PatchPolicy' });

/** A validated `PUT` body. */
export type ReplacePolicyInput = z.output<typeof replacePolicySchema>;
/** A validated `PATCH` body. */
export type PatchPolicyInput = z.output<typeof patchPolicySchema>;
/** The policy fields stored for a tenant, without version. */
export type PolicyFields = Required<ReplaceFields>;
/** The fields of a `PUT`, some of which may be left out (see {@link laterFields}). */
export type ReplaceFields = Omit<ReplacePolicyInput, 'version' | keyof typeof readOnlyFields>;

/** A tenant's policy as the API returns it; its `version` is also the `ETag`. */
export const policyView = z
  .object({
    allowedMethods: z.array(z.string()).meta({ example: ['GET', 'HEAD', 'POST'] }),
    allowedHeaders: z.array(z.string()).meta({ example: ['Content-Type'] }),
    exposedHeaders: z.array(z.string()).meta({ example: [] }),
    allowCredentials: z.boolean().meta({ example: false }),
    maxAge: z.number().int().meta({ example: 600 }),
    allowPrivateNetwork: z.boolean().meta({ example: false }),
    mode: z.enum(['enforce', 'report-only']).meta({ example: 'enforce' }),
    pathRules: z.array(pathRuleView),
    preflightStatus: z.union([z.literal(204), z.literal(200)]).meta({ example: 204 }),
    timingAllowOrigin: z.boolean().meta({ example: false }),
    debugHeader: z.boolean().meta({ example: false }),
    warnings: z.array(z.string()).meta({
      description: 'What browsers will not honour, e.g. a maxAge above 7200 (Chromium’s cap); read-only',
      example: [],
    }),
    version: z
      .number()
      .int()
      .meta({ description: 'Increases with every change; the ETag is `"<version>"`', example: 1 }),
    updatedAt: z.iso.datetime().meta({ example: '2026-11-25T13:00:00.000Z' }),
  })
  .meta({ id: 'Policy' });

/** A tenant's policy as the API returns it. */
export type PolicyView = z.infer<typeof policyView>;

/** A tenant's policy as stored: path rules with parsed origins, no warnings. */
export type PolicyRecord = PolicyFields & { readonly version: number; readonly updatedAt: string };

/**
 * Whether the tenant's own origins are ever used with credentials: by the policy, or by a path
 * rule that keeps the tenant's origins and allows credentials itself. Origin rules that
 * credentials rule out (`*`, `null`, broad regexes) are then refused.
 */
export function usesOwnOriginsWithCredentials(fields: Pick<PolicyFields, 'allowCredentials' | 'pathRules'>): boolean {
  return (
    fields.allowCredentials ||
    fields.pathRules.some((rule) => rule.origins === undefined && rule.allowCredentials === true)
  );
}

/** The API's view of a stored policy, with its warnings. */
export function toPolicyView(record: PolicyRecord): PolicyView {
  return { ...record, pathRules: record.pathRules.map(toPathRuleView), warnings: policyWarnings(record) };
}
