import { All, Controller, NotFoundException, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { tenantOf } from '../policies/gateway-policy.source.js';

/** What the echo handler answers: the request as the tenant's API would have seen it. */
export interface EchoResponse {
  readonly tenant: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

const HIDDEN_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * The built-in handler of tenants without an upstream (SPEC): any method on
 * `/t/<slug>/echo`, or `/echo` on a tenant's own host. Credentials are not echoed back.
 */
@Controller()
export class EchoController {
  @All(['t/:slug/echo', 'echo'])
  echo(@Req() request: FastifyRequest): EchoResponse {
    const tenant = tenantOf(request);
    if (!tenant) throw new NotFoundException('no such tenant');
    const prefix = `/t/${tenant.slug}`;
    const url = request.url.startsWith(prefix + '/') ? request.url.slice(prefix.length) : request.url;
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HIDDEN_HEADERS.has(name)));
    return { tenant: tenant.slug, method: request.method, path: url.split('?')[0]!, headers };
  }
}
