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

/** Tenant 0 serves the single-tenant scenarios (warm actual, preflight, refused). */
export const HOT_TENANT = 0;

/** `@fastify/cors` options equivalent to tenant {@link HOT_TENANT}'s policy. */
export function staticCorsOptions() {
  const suffix = `.tenant-${HOT_TENANT}.example.com`.replaceAll('.', '\\.');
  return {
    origin: [allowedOriginOf(HOT_TENANT), new RegExp(`^https://.+${suffix}$`)],
    methods: ALLOWED_METHODS,
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: MAX_AGE,
    credentials: false,
  };
}

/** Tenants that the invalidation scenario changes (never the hot tenant). */
export const INVALIDATION_FIRST_TENANT = 50_000;
