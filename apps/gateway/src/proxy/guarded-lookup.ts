import { lookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { UpstreamHostGuard } from '#service-runtime';

/** The code of the error a refused upstream address fails the connection with. */
export const UPSTREAM_ADDRESS_REFUSED = 'ERR_UPSTREAM_ADDRESS_REFUSED';

/**
 * A DNS lookup for upstream connections that refuses names resolving to addresses the guard
 * refuses (loopback, link-local, metadata, the gateway's own). Checked on the address actually
 * connected to, so a name that resolves differently later (DNS rebinding) is caught too; the
 * admin API can only check the name as written.
 */
export function guardedLookup(guard: UpstreamHostGuard): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const reason = guard(address);
        if (reason !== undefined) {
          const refused = Object.assign(new Error(`upstream ${hostname} resolves to ${address}, which ${reason}`), { code: UPSTREAM_ADDRESS_REFUSED });
          return callback(refused, '', 0);
        }
      }
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      return callback(null, first?.address ?? '', first?.family ?? 4);
    });
  };
}
