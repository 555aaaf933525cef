import type { CorsPolicy } from './policy.js';

/** Chromium's cap on `Access-Control-Max-Age`, in seconds (Firefox caps at a day). */
export const CHROMIUM_MAX_AGE_CAP = 7200;

/**
 * Warnings about a valid policy that will not do all it says in browsers: a `maxAge` above
 * Chromium's cap (SPEC "Preflight answers": accepted, and the preflight still sends it).
 */
export function policyWarnings(policy: Pick<CorsPolicy, 'maxAge' | 'pathRules'>): string[] {
  const warnings: string[] = [];
  const check = (field: string, maxAge: number | undefined): void => {
    if (maxAge !== undefined && maxAge > CHROMIUM_MAX_AGE_CAP) {
      warnings.push(
        `${field} ${maxAge} is above ${CHROMIUM_MAX_AGE_CAP}: Chromium caches a preflight for at most ${CHROMIUM_MAX_AGE_CAP} seconds (2 hours); the preflight still sends ${maxAge}`,
      );
    }
  };
  check('maxAge', policy.maxAge);
  policy.pathRules?.forEach((rule, index) => check(`pathRules[${index}].maxAge`, rule.maxAge));
  return warnings;
}
