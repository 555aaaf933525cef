import proxyAddr from '@fastify/proxy-addr';
import type { TrustProxySetting } from '#config';

/** Whether the hop at `address`, `hop` steps from this server (0 = the socket peer), may be believed. */
export type TrustedHop = (address: string, hop: number) => boolean;

/**
 * The one trust decision an app makes about its proxies: Fastify uses it for `request.ip`,
 * and the gateway uses it to decide whether a client's `X-Forwarded-*` may be passed on.
 */
export function compileTrustedHop(setting: TrustProxySetting): TrustedHop {
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile([...setting]);
}
