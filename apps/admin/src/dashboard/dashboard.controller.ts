import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '#problem-details';
import { type DashboardAsset, DashboardAssets } from './dashboard-assets.js';
import { PAGE_SECURITY_HEADERS } from './security-headers.js';

/**
 * Paths the page never answers, even when no route there matches: they belong to the API,
 * its documentation and the health probes, whose clients expect a problem document, not HTML.
 */
const RESERVED_FIRST_SEGMENTS: ReadonlySet<string> = new Set(['api', 'docs', 'docs-json', 'docs-yaml', 'health']);

/**
 * Serves the built dashboard at `/`: its files, and the page itself for any other path so
 * that client-side routes (`/tenants/acme/policy`) survive a reload. More specific routes
 * (the API, `/docs`, `/health`) always win: Fastify's router prefers static segments to a
 * wildcard whatever the registration order.
 */
@ApiExcludeController()
@Controller()
export class DashboardController {
  constructor(private readonly assets: DashboardAssets) {}

  // Fastify's router syntax: `*` matches any path, `/` included.
  @Get('*')
  serve(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const pathname = request.url.split(/[?#]/, 1)[0] ?? '/';
    const firstSegment = pathname.split('/')[1] ?? '';
    if (RESERVED_FIRST_SEGMENTS.has(firstSegment)) {
      throw new DomainError('not_found', `no route for ${request.method} ${pathname}`);
    }
    const file = this.assets.file(pathname);
    if (file !== undefined) return this.send(request, reply, file);
    // A missing file (an old bundle's hash, a typo) is a 404, never the page in its place:
    // a browser would otherwise try to run HTML as a script.
    if (pathname.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(pathname)) {
      throw new DomainError('not_found', `no file ${pathname}`);
    }
    const index = this.assets.index;
    if (index === undefined) {
      throw new DomainError('not_found', 'the dashboard is not built: run `npm run build`');
    }
    return this.send(request, reply, index);
  }

  private send(request: FastifyRequest, reply: FastifyReply, file: DashboardAsset): void {
    void reply.headers(PAGE_SECURITY_HEADERS).header('etag', file.etag).header('content-type', file.contentType);
    // Hashed bundle files never change; the page itself is revalidated on every load so a
    // new deployment's bundle is picked up at once.
    void reply.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (request.headers['if-none-match'] === file.etag) {
      void reply.status(304).send();
      return;
    }
    void reply.status(200).send(file.body);
  }
}
