import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from '#problem-details';
import { echo } from '../echo/echo.js';
import { resolvedTenantOf } from '../policies/gateway-policy.source.js';
import { normaliseHost, pathAfterSlug } from '#dynamic-cors';
import { isTenantPath, tenantPathOf } from '../proxy/tenant-path.js';
import type { UpstreamProxy } from '../proxy/upstream-proxy.js';

/** Every path: the gateway's own routes (health, metrics) are the Nest app's. */
const TENANT_ROUTES = ['/t/:slug', '/t/:slug/*', '/*'];

/** The built-in handler's path, for tenants without an upstream. */
const ECHO_PATH = '/echo';

/**
 * Every tenant request that passed the CORS hook lands here: forwarded to the tenant's
 * upstream when it has one, otherwise answered by the echo handler at `/echo`.
 *
 * Routes of the tenant server's Fastify, not a Nest controller: this is the hot path, and
 * Nest's per-request pipeline (execution context, pipes, interceptors, exception zone) cost a
 * quarter of the gateway's throughput while giving this handler nothing it uses.
 */
export function registerTenantRoutes(fastify: FastifyInstance, proxy: UpstreamProxy): void {
  const handle = (request: FastifyRequest, reply: FastifyReply) => {
    const cached = resolvedTenantOf(request);
    if (!cached) return notFound(request, reply, 'no such tenant');
    const url = request.url;
    const start = pathAfterSlug(url, cached.slug);
    const upstreamUrl = cached.upstreamUrl;
    if (upstreamUrl) {
      const byPath = start !== 0;
      const tenantHost = byPath ? undefined : forwardedHostOf(request.headers.host);
      return proxy.forward(request, reply, { upstreamUrl, path: tenantPathOf(url, start), tenantHost, pathTenant: byPath ? cached.slug : undefined });
    }
    if (isTenantPath(url, start, ECHO_PATH)) return reply.send(echo(request, cached.slug, ECHO_PATH));
    return notFound(request, reply, `tenant ${cached.slug} has no upstream; its built-in handler is /echo`);
  };
  for (const url of TENANT_ROUTES) fastify.all(url, handle);
}

/** A 404 problem document for a tenant request. */
export function notFound(request: FastifyRequest, reply: FastifyReply, detail: string): FastifyReply {
  return reply
    .code(404)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send({ type: 'about:blank', title: 'Not Found', status: 404, detail, instance: request.url.split('?')[0] });
}

/** The Host a tenant was found by, as `X-Forwarded-Host`: its hostname, and its port if it is one. */
function forwardedHostOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const hostname = normaliseHost(host);
  const port = host.slice(host.lastIndexOf(':') + 1);
  return host.length > hostname.length + 1 && /^[0-9]{1,5}$/.test(port) ? `${hostname}:${port}` : hostname;
}
