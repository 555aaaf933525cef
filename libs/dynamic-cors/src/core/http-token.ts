/**
 * HTTP token grammar and method normalisation shared by validation and the decision.
 */

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
//       / DIGIT / ALPHA   (RFC 9110 §5.6.2)
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[c.charCodeAt(0)] = 1;
}

/**
 * Whether `value` is a non-empty RFC 9110 token (a valid method or header name).
 */
export function isHttpToken(value: string): boolean {
  const length = value.length;
  if (length === 0) return false;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128 || TCHAR[code] === 0) return false;
  }
  return true;
}

// Fetch "normalize a method": only these six are upper-cased by browsers; every other method
// is compared byte-case-sensitively. https://fetch.spec.whatwg.org/#concept-method-normalize
const UPPER_CASE_METHODS: ReadonlySet<string> = new Set([
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'POST',
  'PUT',
]);
const NORMALISED_METHODS: ReadonlyMap<string, string> = new Map(
  [...UPPER_CASE_METHODS].map((m) => [m.toLowerCase(), m]),
);

/**
 * Normalises a method the way browsers do: `delete`, `get`, `head`, `options`, `post` and
 * `put` (in any case) become upper-case; any other method is returned unchanged.
 */
export function normaliseMethod(method: string): string {
  // Browsers send these upper-case already: checked first, it saves lower-casing (a new
  // string) on every preflight.
  if (method.length > 7 || UPPER_CASE_METHODS.has(method)) return method;
  return NORMALISED_METHODS.get(method.toLowerCase()) ?? method;
}

/**
 * CORS-safelisted methods: never need a preflight and always pass.
 * https://fetch.spec.whatwg.org/#cors-safelisted-method
 */
export const SAFELISTED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);

/**
 * Methods a browser can never send (https://fetch.spec.whatwg.org/#forbidden-method), so a
 * rule for them could never match.
 */
export const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * Header names that pass a preflight without being listed. Browsers only put them in
 * `Access-Control-Request-Headers` when their value is not safelisted (too long, odd bytes);
 * the product contract says safelisted headers always pass. `Content-Type` is deliberately not
 * here: it appears in a preflight only for non-simple types such as `application/json`, which
 * the default policy allows explicitly. https://fetch.spec.whatwg.org/#cors-safelisted-request-header
 */
export const ALWAYS_ALLOWED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-language',
  'content-language',
]);
