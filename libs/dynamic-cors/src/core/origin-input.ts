import { MAX_ORIGIN_LENGTH, parseRequestOrigin } from './origin.js';

/** The outcome of {@link normaliseOriginInput}. */
export type OriginInputResult =
  { readonly ok: true; readonly origin: string } | { readonly ok: false; readonly reason: string };

/**
 * Normalises an exact origin typed by an administrator. Lenient (surrounding spaces, upper
 * case, IDN, default port, one trailing `/`, trailing dot) but refuses, with a reason, anything
 * that is not an origin: a path, query, fragment, userinfo, another scheme, `%` in the host,
 * more than 2048 characters. The literal `null` is kept as `null`.
 *
 * The result is a fixed point of {@link parseRequestOrigin}.
 */
export function normaliseOriginInput(input: string): OriginInputResult {
  if (typeof input !== 'string') return refuse('origin must be a string');
  const trimmed = input.trim();
  if (trimmed === '') return refuse('origin must not be empty');
  if (trimmed.length > MAX_ORIGIN_LENGTH) {
    return refuse(`origin must be at most ${MAX_ORIGIN_LENGTH} characters`);
  }
  if (trimmed.toLowerCase() === 'null') return { ok: true, origin: 'null' };
  if (/[\u0000-\u0020\u007f-\u009f]/.test(trimmed)) {
    return refuse(`origin must not contain whitespace or control characters: ${show(trimmed)}`);
  }
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimmed);
  if (schemeMatch === null) {
    return refuse(`origin must start with http:// or https://: ${show(trimmed)}`);
  }
  const scheme = schemeMatch[1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    return refuse(`origin scheme must be http or https, not ${show(scheme)}`);
  }
  if (!trimmed.startsWith('//', scheme.length + 1)) {
    return refuse(`origin must look like ${scheme}://host[:port]: ${show(trimmed)}`);
  }
  const rest = trimmed.slice(scheme.length + 3);
  // Backslash counts as a path separator for http(s) in the URL standard.
  const authorityEnd = rest.search(/[/?#\\]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  if (authority.includes('@')) {
    return refuse(`origin must not contain credentials (user@host): ${show(trimmed)}`);
  }
  if (tail !== '' && tail !== '/') {
    const pathEnd = tail.search(/[?#]/);
    const path = pathEnd === -1 ? tail : tail.slice(0, pathEnd);
    if (path !== '' && path !== '/')
      return refuse(`origin must not contain a path: ${show(trimmed)}`);
    const marker = tail.charAt(path.length);
    if (marker === '?') return refuse(`origin must not contain a query: ${show(trimmed)}`);
    return refuse(`origin must not contain a fragment: ${show(trimmed)}`);
  }
  if (authority === '' || authority.startsWith(':')) {
    return refuse(`origin must have a host: ${show(trimmed)}`);
  }
  if (authority.includes('%')) {
    return refuse(`origin host must not contain percent-encoding: ${show(trimmed)}`);
  }
  const candidate = `${scheme}://${authority}`;
  // The URL parser does the lenient part: IDN to punycode (UTS #46, as domainToASCII),
  // IPv4/IPv6 canonical forms, default port removal.
  if (!URL.canParse(candidate)) return refuse(`origin is not a valid URL origin: ${show(trimmed)}`);
  const url = new URL(candidate);
  const hostname = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
  const normalised = `${scheme}://${hostname}${url.port === '' ? '' : `:${url.port}`}`;
  // Whatever the URL parser tolerates but a browser would never send (such as "_" or "*")
  // is refused here, so that every stored origin is one parseRequestOrigin can produce.
  const strict = parseRequestOrigin(normalised);
  if (strict === null) return refuse(`origin host is not a valid host name: ${show(trimmed)}`);
  return { ok: true, origin: strict };
}

function refuse(reason: string): OriginInputResult {
  return { ok: false, reason };
}

/** Shortens user input quoted in a reason. */
export function show(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}
