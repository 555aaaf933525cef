/**
 * The tenants the benchmark seeds, and the one policy every one of them has: the "typical"
 * policy of the memory target. Tenant `i` allows its own app origin exactly and its subdomains
 * by wildcard, with the default methods and headers and one exposed header.
 */
export const TENANT_COUNT = 100_000;

export function slugOf(index: number): string {
  return `bench-${index}`;
}

export function allowedOriginOf(index: number): string {
  return `https://app.tenant-${index}.example.com`;
}

export function wildcardRuleOf(index: number): string {
  return `https://*.tenant-${index}.example.com`;
}

export const REFUSED_ORIGIN = 'https://evil.example.net';
export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST'];
export const ALLOWED_HEADERS = ['Content-Type'];
export const EXPOSED_HEADERS = ['X-Request-Id'];
export const MAX_AGE = 600;

/** Tenant 0 serves the single-tenant scenarios of the simple policy (warm actual, preflight, refused). */
export const HOT_TENANT = 0;

/**
 * The policies of the side-by-side cost comparison (scenarios 1–5): one hot tenant each, the
 * request each scenario sends, and the `@fastify/cors` options equivalent to that policy.
 *
 * - `simple`: tenant 0's typical policy (no credentials, default methods and headers).
 * - `credentialed`: issue 13's policy: four methods, two request headers, an exposed header,
 *   credentials, max-age 600, an exact origin and a wildcard; its preflight asks for `PUT`
 *   with `content-type`.
 */
export interface BenchPolicy {
  readonly name: 'simple' | 'credentialed' | 'path-rules';
  readonly slug: string;
  readonly allowedOrigin: string;
  readonly preflightMethod: string;
  readonly preflightHeaders: string;
  readonly staticCors: {
    readonly origin: readonly (string | RegExp)[];
    readonly methods: readonly string[];
    readonly allowedHeaders: readonly string[];
    readonly exposedHeaders: readonly string[];
    readonly maxAge: number;
    readonly credentials: boolean;
  };
}

export const CREDENTIALED_SLUG = 'bench-credentialed';
export const CREDENTIALED_POLICY = {
  origins: ['https://app.example.com', 'https://*.example.org'],
  allowedMethods: ['GET', 'HEAD', 'POST', 'PUT'],
  allowedHeaders: ['content-type', 'x-request-id'],
  exposedHeaders: ['x-request-id'],
  allowCredentials: true,
  maxAge: 600,
} as const;

export const BENCH_POLICIES: readonly BenchPolicy[] = [
  {
    name: 'simple',
    slug: slugOf(HOT_TENANT),
    allowedOrigin: allowedOriginOf(HOT_TENANT),
    preflightMethod: 'POST',
    preflightHeaders: 'content-type',
    staticCors: {
      origin: [allowedOriginOf(HOT_TENANT), new RegExp(`^https://.+${`.tenant-${HOT_TENANT}.example.com`.replaceAll('.', '\\.')}$`)],
      methods: ALLOWED_METHODS,
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: MAX_AGE,
      credentials: false,
    },
  },
  {
    name: 'credentialed',
    slug: CREDENTIALED_SLUG,
    allowedOrigin: CREDENTIALED_POLICY.origins[0],
    preflightMethod: 'PUT',
    preflightHeaders: 'content-type',
    staticCors: {
      origin: [CREDENTIALED_POLICY.origins[0], /^https:\/\/.+\.example\.org$/],
      methods: CREDENTIALED_POLICY.allowedMethods,
      allowedHeaders: CREDENTIALED_POLICY.allowedHeaders,
      exposedHeaders: CREDENTIALED_POLICY.exposedHeaders,
      maxAge: CREDENTIALED_POLICY.maxAge,
      credentials: CREDENTIALED_POLICY.allowCredentials,
    },
  },
];

export const PATH_RULES_SLUG = 'bench-path-rules';
/** Rules of the path-rules tenant, for paths the benchmark never requests. */
export const PATH_RULES = Array.from({ length: 20 }, (_, index) => ({ path: `/admin/${index}/**`, allowedMethods: ['GET'] }));

/**
 * Issue 12's "no extra cost without path rules", measured from the other side: the simple
 * policy (tenant 0's origins, methods and headers) plus {@link PATH_RULES}, none of which the
 * request's path matches, so every request walks all twenty and falls through to the policy.
 * That is the most path rules cost a request they do not apply to; a tenant without any skips
 * the step altogether (its compiled `pathRules` is undefined). Compared with `simple` on our
 * gateway in the same rounds; its static equivalent is simple's.
 */
export const PATH_RULES_BENCH_POLICY: BenchPolicy = { ...BENCH_POLICIES[0]!, name: 'path-rules', slug: PATH_RULES_SLUG };

export function benchPolicy(name: string | undefined): BenchPolicy {
  const policy = [...BENCH_POLICIES, PATH_RULES_BENCH_POLICY].find((candidate) => candidate.name === name);
  if (!policy) throw new Error(`no bench policy ${name}`);
  return policy;
}

/** Tenants that the invalidation scenario changes (never the hot tenant). */
export const INVALIDATION_FIRST_TENANT = 50_000;
