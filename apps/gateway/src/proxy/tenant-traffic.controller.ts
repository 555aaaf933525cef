import { All, Controller, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { echo, type EchoResponse } from '../echo/echo.js';
import { tenantOf } from '../policies/gateway-policy.source.js';
import { tenantPathOf } from './tenant-path.js';
import { UpstreamProxy } from './upstream-proxy.js';

/**
 * Every tenant request that passed the CORS hook lands here: forwarded to the tenant's
 * upstream when it has one, otherwise answered by the echo handler at `/echo`.
 */
@Controller()
export class TenantTrafficController {
  constructor(@Inject(UpstreamProxy) private readonly proxy: UpstreamProxy) {}

  @All(['t/:slug', 't/:slug/*', '*'])
  handle(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): EchoResponse | FastifyReply {
    const cached = tenantOf(request);
    if (!cached) throw new NotFoundException('no such tenant');
    const path = tenantPathOf(request.url, cached.slug);
    const upstream = cached.tenant.upstreamUrl;
    if (upstream) return this.proxy.forward(request, reply, upstream, path);
    const pathname = path.split('?')[0]!;
    if (pathname === '/echo') return echo(request, cached.slug, pathname);
    throw new NotFoundException(`tenant ${cached.slug} has no upstream; its built-in handler is /echo`);
  }
}
