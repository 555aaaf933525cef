import type { OriginRule } from '../../libs/dynamic-cors/src/core/index.js';

/**
 * An independent model of "which origins a policy allows", written without the engine's code:
 * a regular expression for the serialised-origin grammar and the WHATWG URL parser for host
 * canonicalisation, then rule matching by labels. The fuzzer judges the engine against it.
 */

/** An origin as the oracle understands it. */
export interface OracleOrigin {
  readonly scheme: 'http' | 'https';
  /** Lower-case host, without the root's trailing dot. */
  readonly hostname: string;
  /** Explicit, non-default port, or '' */
  readonly port: string;
  readonly serialised: string;
}

// scheme "://" host [":" port], as browsers serialise an origin (https://fetch.spec.whatwg.org/#origin-header).
const SERIALISED_ORIGIN = /^(https?):\/\/(\[[0-9a-f:]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?)(?::([0-9]{1,5}))?$/i;

/** Parses a request's `Origin` header, or returns null if it is not one ('null' is kept apart). */
export function oracleParse(header: string): OracleOrigin | 'null' | null {
  if (header === 'null') return 'null';
  if (header.length > 2048) return null;
  const match = SERIALISED_ORIGIN.exec(header);
  if (match === null) return null;
  const scheme = match[1]!.toLowerCase() as 'http' | 'https';
  const host = match[2]!.toLowerCase();
  const rawPort = match[3];
  if (rawPort !== undefined && (rawPort.startsWith('0') || Number(rawPort) > 65_535 || Number(rawPort) === 0))
    return null;
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  let urlHost: string;
  let port: string;
  try {
    const url = new URL(`${scheme}://${host}${rawPort === undefined ? '' : `:${rawPort}`}`);
    urlHost = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
    port = url.port;
  } catch {
    // IDNA refuses some LDH names (e.g. bad punycode) that are still plain DNS names: the
    // model keeps them, unless the last label makes the host an IPv4 address.
    const last = bare.slice(bare.lastIndexOf('.') + 1);
    if (bare.startsWith('[') || /^(?:[0-9]+|0x[0-9a-f]*)$/.test(last)) return null;
    urlHost = bare;
    port = rawPort === undefined || Number(rawPort) === (scheme === 'https' ? 443 : 80) ? '' : rawPort;
  }
  // The URL parser rewrites what a browser would never send (short IPv4 forms, hex parts,
  // non-canonical IPv6): only a host it leaves unchanged is an origin a browser serialises.
  if (urlHost !== bare || bare === '') return null;
  if (host.endsWith('.') && /^[0-9.]+$/.test(bare)) return null;
  if (!bare.startsWith('[')) {
    if (bare.length > 253) return null;
    const labels = bare.split('.');
    if (labels.some((l) => l.length === 0 || l.length > 63)) return null;
  }
  return { scheme, hostname: urlHost, port, serialised: `${scheme}://${urlHost}${port === '' ? '' : `:${port}`}` };
}

/** Whether a rule (as parseOriginRule stores it) allows this request header, by the model. */
export function oracleRuleAllows(rule: Pick<OriginRule, 'kind' | 'value'>, header: string): boolean {
  const origin = oracleParse(header);
  if (origin === null) return false;
  if (origin === 'null') return rule.kind === 'exact' && rule.value === 'null';
  switch (rule.kind) {
    case 'any':
      return true;
    case 'exact':
      return rule.value === origin.serialised;
    case 'regex':
      return new RegExp(rule.value).test(origin.serialised);
    case 'wildcard': {
      const base = oracleParse(rule.value.replace('://*.', '://'));
      if (base === null || base === 'null') return false;
      if (base.scheme !== origin.scheme || base.port !== origin.port) return false;
      const baseLabels = base.hostname.split('.');
      const labels = origin.hostname.split('.');
      if (labels.length <= baseLabels.length) return false;
      return labels.slice(-baseLabels.length).join('.') === base.hostname;
    }
  }
}

/** Whether any of the rules allows the header (credentials aside: `*` is dropped with them). */
export function oracleAllows(
  rules: readonly Pick<OriginRule, 'kind' | 'value'>[],
  header: string,
  credentials: boolean,
): boolean {
  return rules.some((rule) => !(credentials && rule.kind === 'any') && oracleRuleAllows(rule, header));
}

/** Whether two headers are the same origin by the model (opaque `null` never is). */
export function oracleSameOrigin(a: string, b: string): boolean {
  const x = oracleParse(a);
  const y = oracleParse(b);
  return x !== null && y !== null && x !== 'null' && y !== 'null' && x.serialised === y.serialised;
}
