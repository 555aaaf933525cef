import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { TrustedHop } from '#service-runtime';

/** The `Via` pseudonym of every corsmesh gateway: a request already carrying it has looped. */
export const VIA_PSEUDONYM = 'corsmesh';

/** Whether a request has already passed through a corsmesh gateway (its upstream points back at one). */
export function hasLooped(via: string | string[] | undefined): boolean {
  if (via === undefined) return false;
  // Via = 1#( received-protocol RWS received-by [ RWS comment ] ), RFC 9110 section 7.6.3.
  for (const entry of (Array.isArray(via) ? via.join(',') : via).split(',')) {
    if (entry.trim().split(/\s+/, 2)[1]?.toLowerCase() === VIA_PSEUDONYM) return true;
  }
  return false;
}

/**
 * The request headers an upstream gets (issue 19, item 6): the client's own `X-Forwarded-*`,
 * `Forwarded` and `X-Real-IP` are passed on only when the peer that sent them is a trusted
 * proxy (`TRUST_PROXY`, the same decision Fastify makes for `request.ip`); otherwise they are
 * replaced by what the gateway saw. `X-Forwarded-Host` is set only when the tenant was found
 * by its Host (then it is one of the tenant's names), never from an arbitrary Host.
 */
export function forwardedHeaders(
  request: FastifyRequest,
  headers: IncomingHttpHeaders,
  trustedHop: TrustedHop,
  tenantHost: string | undefined,
): IncomingHttpHeaders {
  const peer = request.socket.remoteAddress ?? '';
  const trusted = peer !== '' && trustedHop(peer, 0);
  const forwarded: IncomingHttpHeaders = { ...headers };
  const priorFor = trusted ? headers['x-forwarded-for'] : undefined;
  if (!trusted) {
    delete forwarded.forwarded;
    delete forwarded['x-forwarded-host'];
    delete forwarded['x-forwarded-port'];
    delete forwarded['x-forwarded-prefix'];
  }
  forwarded['x-forwarded-for'] = priorFor ? `${String(priorFor)}, ${peer}` : peer;
  forwarded['x-forwarded-proto'] = request.protocol;
  forwarded['x-real-ip'] = request.ip;
  if (tenantHost !== undefined) forwarded['x-forwarded-host'] = tenantHost;
  const via = headers.via;
  forwarded.via = `${via ? `${String(via)}, ` : ''}1.1 ${VIA_PSEUDONYM}`;
  return forwarded;
}
