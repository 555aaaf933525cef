import { BlockList, isIP } from 'node:net';

/**
 * Why a host may not be an upstream (or a tenant hostname), or undefined when it may. Takes a
 * URL hostname (IPv6 with or without brackets) or a resolved address.
 */
export type UpstreamHostGuard = (host: string) => string | undefined;

/** Address ranges no tenant's upstream may point at by default (SPEC "Security contract"). */
const REFUSED_RANGES: readonly { readonly net: string; readonly bits: number; readonly reason: string }[] = [
  { net: '169.254.169.254', bits: 32, reason: 'is a cloud metadata address' },
  { net: 'fd00:ec2::254', bits: 128, reason: 'is a cloud metadata address' },
  { net: '127.0.0.0', bits: 8, reason: 'is a loopback address' },
  { net: '::1', bits: 128, reason: 'is a loopback address' },
  { net: '0.0.0.0', bits: 8, reason: 'is an unspecified address' },
  { net: '::', bits: 128, reason: 'is an unspecified address' },
  { net: '169.254.0.0', bits: 16, reason: 'is a link-local address' },
  { net: 'fe80::', bits: 10, reason: 'is a link-local address' },
];

/**
 * Compiles the operator's `UPSTREAM_ALLOWED_HOSTS` (host names, addresses, CIDR ranges) and the
 * addresses that are refused unless listed there: loopback, unspecified, link-local, cloud
 * metadata, `localhost` names, and `ownAddresses` (the gateway's own, so an upstream cannot be
 * the gateway itself). Built on Node's `BlockList`, which also matches IPv4-mapped IPv6.
 */
export function compileUpstreamHostGuard(allowed: readonly string[], ownAddresses: readonly string[] = []): UpstreamHostGuard {
  const isAllowed = compileHostAllowList(allowed);
  const refused = REFUSED_RANGES.map(({ net, bits, reason }) => ({ list: blockListOf([`${net}/${bits}`]), reason }));
  const own = blockListOf(ownAddresses.filter((address) => isIP(address) !== 0));

  return (host) => {
    const name = unbracketed(host).toLowerCase();
    if (isAllowed(name)) return undefined;
    const family = isIP(name);
    if (family === 0) return name === 'localhost' || name.endsWith('.localhost') ? 'is a localhost name' : undefined;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    for (const { list, reason } of refused) if (list.check(name, type)) return reason;
    if (own.check(name, type)) return "is one of the gateway's own addresses";
    return undefined;
  };
}

/** Whether a host name or address is on the operator's list (`UPSTREAM_ALLOWED_HOSTS`). */
export function compileHostAllowList(allowed: readonly string[]): (host: string) => boolean {
  const names = new Set(allowed.filter((entry) => isIP(entry.split('/')[0]!) === 0).map((entry) => entry.toLowerCase()));
  const addresses = blockListOf(allowed.filter((entry) => isIP(entry.split('/')[0]!) !== 0));
  return (host) => {
    const name = unbracketed(host).toLowerCase();
    const family = isIP(name);
    return family === 0 ? names.has(name) : addresses.check(name, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** A BlockList of addresses and CIDR ranges (already validated). */
function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    list.addSubnet(address, bits === undefined ? (type === 'ipv4' ? 32 : 128) : Number(bits), type);
  }
  return list;
}

function unbracketed(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
