import type { CompiledPolicy } from './compile-policy.js';
import {
  ALWAYS_ALLOWED_REQUEST_HEADERS,
  FORBIDDEN_METHODS,
  isHttpToken,
  normaliseMethod,
} from './http-token.js';
import { show } from './origin-input.js';

/** Most header names accepted in one `Access-Control-Request-Headers`. */
export const MAX_REQUESTED_HEADERS = 100;
const MAX_REQUESTED_HEADERS_LENGTH = 8192;

/**
 * Checks `Access-Control-Request-Method` (https://fetch.spec.whatwg.org/#cors-preflight-fetch).
 * Returns the Allow-Methods value (`''` = omit), or `undefined` after pushing why to `reasons`
 * when given (an allowed preflight allocates none).
 */
export function checkMethod(
  policy: CompiledPolicy,
  requested: string,
  reasons?: string[],
): string | undefined {
  const method = normaliseMethod(requested);
  // The usual request, first: a listed method is a valid token and never forbidden.
  // Safelisted methods get no pass of their own: `allowedMethods` is the whole list (SPEC
  // "Policy depth", as Spring's DefaultCorsProcessor does).
  if (policy.allowedMethods.has(method)) return policy.allowMethodsValue;
  if (!isHttpToken(method)) {
    reasons?.push('access-control-request-method is not a valid method');
    return undefined;
  }
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) {
    reasons?.push(`method ${show(method)} is forbidden by the Fetch standard`);
    return undefined;
  }
  // `*` as a requested method would be echoed as a wildcard: never covered by `*` itself.
  if (!policy.anyMethod || method === '*') {
    reasons?.push(`method ${show(method)} is not in allowedMethods`);
    return undefined;
  }
  // With credentials `*` is a literal method name to the browser, so name the method instead.
  if (!policy.allowCredentials) return policy.allowMethodsValue;
  return policy.allowMethodsValue === '' ? method : `${policy.allowMethodsValue}, ${method}`;
}

/**
 * Checks every name in `Access-Control-Request-Headers` (comma-separated, trimmed,
 * case-insensitive, empties ignored) and returns the Allow-Headers value: the requested names
 * when some are requested (the raw header when it is already in the browser's canonical form,
 * so the usual case copies nothing), otherwise the policy's list; `''` means omit. Without
 * `reasons`, stops at the first refused name.
 */
export function checkRequestHeaders(
  policy: CompiledPolicy,
  raw: string | undefined,
  reasons?: string[],
): string | undefined {
  if (raw === undefined) return policy.allowHeadersValue;
  if (raw.length > MAX_REQUESTED_HEADERS_LENGTH) {
    reasons?.push('access-control-request-headers is too long');
    return undefined;
  }
  let canonical = true;
  let normalised = '';
  let count = 0;
  let refused = false;
  let start = 0;
  while (start <= raw.length) {
    let end = raw.indexOf(',', start);
    if (end === -1) end = raw.length;
    let from = start;
    let to = end;
    while (from < to && isSpaceOrTab(raw.charCodeAt(from))) from++;
    while (to > from && isSpaceOrTab(raw.charCodeAt(to - 1))) to--;
    if (from !== start || to !== end) canonical = false;
    start = end + 1;
    if (from === to) {
      if (end !== raw.length || count > 0) canonical = false;
      continue;
    }
    const spelled = raw.slice(from, to);
    const name = spelled.toLowerCase();
    if (++count > MAX_REQUESTED_HEADERS) {
      reasons?.push(
        `access-control-request-headers lists more than ${MAX_REQUESTED_HEADERS} headers`,
      );
      return undefined;
    }
    if (!isHttpToken(name)) {
      reasons?.push('access-control-request-headers contains an invalid header name');
      return undefined;
    }
    if (name !== spelled) canonical = false;
    normalised = normalised === '' ? name : `${normalised},${name}`;
    if (!isHeaderAllowed(policy, name)) {
      if (reasons === undefined) return undefined;
      const note =
        policy.anyHeader && (name === 'authorization' || name === '*')
          ? ' (* does not cover it)'
          : '';
      reasons.push(`header ${show(name)} is not in allowedHeaders${note}`);
      refused = true;
    }
  }
  if (refused) return undefined;
  if (count === 0) return policy.allowHeadersValue;
  return canonical ? raw : normalised;
}

/**
 * Whether an actual request's method is allowed: listed, or covered by `*` (a server-side
 * check, so `*` covers every method here, with credentials too).
 */
export function isActualMethodAllowed(policy: CompiledPolicy, method: string): boolean {
  return policy.allowedMethods.has(method) || policy.anyMethod;
}

function isHeaderAllowed(policy: CompiledPolicy, name: string): boolean {
  if (policy.allowedHeaders.has(name) || ALWAYS_ALLOWED_REQUEST_HEADERS.has(name)) return true;
  // `*` never covers Authorization (https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name);
  // with credentials the names are echoed, so `*` keeps its meaning for the policy.
  return policy.anyHeader && name !== 'authorization' && name !== '*';
}

function isSpaceOrTab(code: number): boolean {
  return code === 32 || code === 9;
}
