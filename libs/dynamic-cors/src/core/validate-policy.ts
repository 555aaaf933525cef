import { credentialsConflict } from './credentialed-origin.js';
import { FORBIDDEN_METHODS, isHttpToken } from './http-token.js';
import { show } from './origin-input.js';
import type { CorsPolicy, OriginRule } from './policy.js';

/** Largest accepted `maxAge`, one day (browsers cap it lower anyway: Chromium at 2 hours). */
export const MAX_MAX_AGE = 86_400;
/** Most entries accepted in each of the method and header lists. */
export const MAX_LIST_ENTRIES = 100;

/** A policy field an administrator can get wrong. */
export type PolicyField = keyof CorsPolicy;

/** One problem found by {@link validatePolicy}. */
export interface PolicyIssue {
  readonly field: PolicyField;
  readonly reason: string;
}

/** The policy fields to validate; omitted fields are not checked. */
export type PolicyInput = {
  readonly [K in keyof CorsPolicy]?: K extends 'origins'
    ? readonly Pick<OriginRule, 'kind' | 'value'>[]
    : CorsPolicy[K];
};

/**
 * Checks the fields of a policy and the rules between them. Origin rules are expected to come
 * from {@link parseOriginRule}; here only their combination with the other fields is checked.
 *
 * @returns every problem found, empty when the policy is valid.
 */
export function validatePolicy(input: PolicyInput): readonly PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const add = (field: PolicyField, reason: string): void => {
    issues.push({ field, reason });
  };
  const credentials = input.allowCredentials === true;

  // `*`, `null` and regexes reaching beyond one registrable domain (see credentialsConflict).
  if (credentials) {
    for (const rule of input.origins ?? []) {
      const conflict = credentialsConflict(rule);
      if (conflict !== undefined) add('origins', conflict);
    }
  }
  if (input.allowedMethods !== undefined) {
    checkList(input.allowedMethods, 'allowedMethods', 'method', add);
    for (const method of input.allowedMethods) {
      // https://fetch.spec.whatwg.org/#forbidden-method (byte-case-insensitive)
      if (typeof method === 'string' && FORBIDDEN_METHODS.has(method.toUpperCase())) {
        add('allowedMethods', `method ${method} is forbidden by the Fetch standard`);
      }
    }
  }
  if (input.allowedHeaders !== undefined) {
    checkList(input.allowedHeaders, 'allowedHeaders', 'header', add);
  }
  if (input.exposedHeaders !== undefined) {
    checkList(input.exposedHeaders, 'exposedHeaders', 'header', add);
    if (credentials && input.exposedHeaders.includes('*')) {
      add('exposedHeaders', 'exposedHeaders * cannot be combined with allowCredentials');
    }
  }
  if (input.maxAge !== undefined) {
    const maxAge = input.maxAge;
    if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > MAX_MAX_AGE) {
      add('maxAge', `maxAge must be an integer between 0 and ${MAX_MAX_AGE}`);
    }
  }
  if (input.mode !== undefined && input.mode !== 'enforce' && input.mode !== 'report-only') {
    add('mode', 'mode must be "enforce" or "report-only"');
  }
  for (const field of ['allowCredentials', 'allowPrivateNetwork'] as const) {
    if (input[field] !== undefined && typeof input[field] !== 'boolean') {
      add(field, `${field} must be true or false`);
    }
  }
  return issues;
}

function checkList(
  values: readonly string[],
  field: PolicyField,
  noun: 'method' | 'header',
  add: (field: PolicyField, reason: string) => void,
): void {
  if (!Array.isArray(values)) {
    add(field, `${field} must be a list`);
    return;
  }
  if (values.length > MAX_LIST_ENTRIES) {
    add(field, `${field} must have at most ${MAX_LIST_ENTRIES} entries`);
  }
  for (const value of values) {
    if (typeof value !== 'string' || !isHttpToken(value)) {
      const shown = typeof value === 'string' ? JSON.stringify(show(value)) : String(value);
      add(field, `${noun} ${shown} is not a valid HTTP token`);
    }
  }
}
