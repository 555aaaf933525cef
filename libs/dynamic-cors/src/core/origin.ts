/**
 * Origin parsing: a strict parser for the `Origin` request header (hot path) and a lenient but
 * safe normaliser for origins typed by an administrator.
 */

/** Longest `Origin` header or administrator input considered at all. */
export const MAX_ORIGIN_LENGTH = 2048;
const MAX_HOST_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

const CHAR_DOT = 46;
const CHAR_COLON = 58;
const CHAR_HYPHEN = 45;
const CHAR_OPEN_BRACKET = 91;
const CHAR_CLOSE_BRACKET = 93;

/**
 * Parses an `Origin` request header strictly, as a browser serialises it
 * (https://fetch.spec.whatwg.org/#origin-header): `scheme://host[:port]` with scheme http or
 * https and host an LDH name, a dotted-decimal IPv4 address or a bracketed IPv6 address, or the
 * literal `null`.
 *
 * @returns the normalised origin (lower-cased, default port and one trailing dot of the host
 * dropped), or `null` when the header is not a valid origin. Never throws.
 */
export function parseRequestOrigin(header: string): string | null {
  if (typeof header !== 'string') return null;
  const length = header.length;
  if (header === 'null') return 'null';
  // Bail out before scanning anything long: a real origin is short.
  if (length > MAX_ORIGIN_LENGTH || length < 8) return null;

  let secure: boolean;
  if (startsWithIgnoringCase(header, 'https://')) secure = true;
  else if (startsWithIgnoringCase(header, 'http://')) secure = false;
  else return null;
  const hostStart = secure ? 8 : 7;

  let i = hostStart;
  let hostEnd: number;
  let lowerCaseNeeded = !header.startsWith(secure ? 'https://' : 'http://');
  let trailingDot = false;
  if (header.charCodeAt(i) === CHAR_OPEN_BRACKET) {
    const close = header.indexOf(']', i);
    if (close === -1 || !isIpv6(header, i + 1, close)) return null;
    for (let k = i + 1; k < close; k++) if (isUpper(header.charCodeAt(k))) lowerCaseNeeded = true;
    hostEnd = close + 1;
    i = hostEnd;
  } else {
    const scan = scanDomain(header, i);
    if (scan === null) return null;
    hostEnd = scan.end;
    trailingDot = scan.trailingDot;
    if (scan.upper) lowerCaseNeeded = true;
    i = hostEnd;
  }

  let portStart = -1;
  let defaultPort = false;
  if (i < length) {
    if (header.charCodeAt(i) !== CHAR_COLON) return null;
    portStart = i + 1;
    const port = parsePort(header, portStart);
    if (port === -1) return null;
    defaultPort = port === (secure ? 443 : 80);
  }

  if (!lowerCaseNeeded && !trailingDot && !defaultPort) return header;
  const host = header.slice(hostStart, trailingDot ? hostEnd - 1 : hostEnd);
  const scheme = secure ? 'https://' : 'http://';
  const port = portStart === -1 || defaultPort ? '' : header.slice(portStart - 1);
  return scheme + host.toLowerCase() + port;
}

interface DomainScan {
  readonly end: number;
  readonly trailingDot: boolean;
  readonly upper: boolean;
}

/** Scans LDH labels from `start` up to the end or a `:`; validates label and host lengths. */
function scanDomain(s: string, start: number): DomainScan | null {
  const length = s.length;
  let i = start;
  let labelStart = start;
  let upper = false;
  let labels = 0;
  let lastLabelStart = start;
  let lastLabelEnd = start;
  for (; i < length; i++) {
    const code = s.charCodeAt(i);
    if (code === CHAR_COLON) break;
    if (code === CHAR_DOT) {
      const labelLength = i - labelStart;
      if (labelLength === 0 || labelLength > MAX_LABEL_LENGTH) return null;
      labels++;
      lastLabelStart = labelStart;
      lastLabelEnd = i;
      labelStart = i + 1;
      continue;
    }
    if (isUpper(code)) upper = true;
    else if (!isLowerOrDigit(code) && code !== CHAR_HYPHEN) return null;
  }
  const end = i;
  let trailingDot = false;
  const finalLength = end - labelStart;
  if (finalLength === 0) {
    // An empty final label is allowed once, as the DNS root's trailing dot ("example.com.").
    if (labels === 0) return null;
    trailingDot = true;
  } else {
    if (finalLength > MAX_LABEL_LENGTH) return null;
    labels++;
    lastLabelStart = labelStart;
    lastLabelEnd = end;
  }
  const hostLength = end - start - (trailingDot ? 1 : 0);
  if (hostLength > MAX_HOST_LENGTH) return null;
  // A host whose last label is numeric is an IPv4 address to the URL parser
  // (https://url.spec.whatwg.org/#ends-in-a-number-checker); a browser serialises it as
  // canonical dotted decimal, so anything else is not what a browser would send.
  if (isNumericLabel(s, lastLabelStart, lastLabelEnd)) {
    if (!isCanonicalIpv4(s, start, end - (trailingDot ? 1 : 0)) || trailingDot) return null;
  }
  return { end, trailingDot, upper };
}

function isNumericLabel(s: string, start: number, end: number): boolean {
  if (end - start >= 2 && s.charCodeAt(start) === 48 && (s.charCodeAt(start + 1) | 0x20) === 120) {
    for (let i = start + 2; i < end; i++) if (!isHexDigit(s.charCodeAt(i))) return false;
    return true; // "0x…" is a hexadecimal IPv4 part
  }
  for (let i = start; i < end; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

function isCanonicalIpv4(s: string, start: number, end: number): boolean {
  let parts = 0;
  let partStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && s.charCodeAt(i) !== CHAR_DOT) {
      if (!isDigit(s.charCodeAt(i))) return false;
      continue;
    }
    const partLength = i - partStart;
    if (partLength === 0 || partLength > 3) return false;
    if (partLength > 1 && s.charCodeAt(partStart) === 48) return false;
    if (Number(s.slice(partStart, i)) > 255) return false;
    parts++;
    partStart = i + 1;
  }
  return parts === 4;
}

/** Validates the text between `[` and `]`: hex pieces, at most one `::`, eight pieces in all. */
function isIpv6(s: string, start: number, end: number): boolean {
  if (end - start < 2 || end - start > 39) return false;
  let pieces = 0;
  let compressed = false;
  let i = start;
  if (s.charCodeAt(i) === CHAR_COLON) {
    if (s.charCodeAt(i + 1) !== CHAR_COLON) return false;
    compressed = true;
    i += 2;
    if (i === end) return true;
  }
  while (i < end) {
    let digits = 0;
    while (i < end && isHexDigit(s.charCodeAt(i))) {
      digits++;
      i++;
    }
    if (digits === 0 || digits > 4) return false;
    pieces++;
    if (i === end) break;
    if (s.charCodeAt(i) !== CHAR_COLON) return false;
    i++;
    if (i < end && s.charCodeAt(i) === CHAR_COLON) {
      if (compressed) return false;
      compressed = true;
      i++;
    } else if (i === end) {
      return false; // a single trailing ":"
    }
  }
  return compressed ? pieces < 8 : pieces === 8;
}

/** Returns the port at `start..end of s` (1..65535, canonical digits), or -1. */
function parsePort(s: string, start: number): number {
  const length = s.length - start;
  if (length === 0 || length > 5 || s.charCodeAt(start) === 48) return -1;
  let port = 0;
  for (let i = start; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (!isDigit(code)) return -1;
    port = port * 10 + (code - 48);
  }
  return port <= 65535 ? port : -1;
}

function startsWithIgnoringCase(s: string, lowerPrefix: string): boolean {
  for (let i = 0; i < lowerPrefix.length; i++) {
    const code = s.charCodeAt(i);
    const folded = isUpper(code) ? code | 0x20 : code;
    if (folded !== lowerPrefix.charCodeAt(i)) return false;
  }
  return true;
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
function isLowerOrDigit(code: number): boolean {
  return (code >= 97 && code <= 122) || isDigit(code);
}
function isHexDigit(code: number): boolean {
  return isDigit(code) || ((code | 0x20) >= 97 && (code | 0x20) <= 102);
}
