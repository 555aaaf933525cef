import type { CompiledPolicy } from '../core/index.js';
import type { CorsHttpRequest } from '../platforms/cors-request.js';

/** The tenant a request belongs to, as far as CORS is concerned. */
export interface CorsTarget {
  readonly tenantId: string;
  readonly slug: string;
  /** Compiled once per policy version, never per request. */
  readonly policy: CompiledPolicy;
}

/**
 * How a request names its tenant: its slug, or a hostname registered for it (a tenant's own
 * domain, looked up among the hostnames the admin manages).
 */
export type TenantKey = string | { readonly hostname: string };

/**
 * Where the CORS layer gets a tenant's policy: the port a source implements, in the way
 * `@nestjs/throttler` defines `ThrottlerStorage` (`staticPolicySource`, `postgresPolicySource`,
 * or the app's own).
 *
 * `forTenant` returns the target, `null` for a key that names no tenant (answered 404 without
 * CORS headers), or `undefined` when the request turns out not to be a tenant's after all
 * (untouched). Answer synchronously when the policy is at hand: the request then takes no
 * asynchronous step. A rejected promise answers 503 (the policy cannot be read now).
 */
export interface PolicySource<K = TenantKey> {
  forTenant(key: K, request: CorsHttpRequest): CorsTarget | null | undefined | Promise<CorsTarget | null | undefined>;
  /** Called once before the app serves (connect, warm a cache); the app does not start if it throws. */
  start?(): Promise<void>;
  /** Called once when the app shuts down. */
  stop?(): Promise<void>;
  /** False while the source may serve stale policies (a readiness probe can report it). */
  readonly isReady?: boolean;
}
