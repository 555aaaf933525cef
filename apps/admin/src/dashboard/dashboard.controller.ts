import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '#problem-details';
import { type DashboardAsset, DashboardAssets } from './dashboard-assets.js';

/**
 * Paths the page never answers, even when no route there matches: they belong to the API,
 * its documentation and the health probes, whose clients expect a problem document, not HTML.
 */
const RESERVED_FIRST_SEGMENTS: ReadonlySet<string> = new Set(['api', 'docs', 'docs-json', 'docs-yaml', 'health']);

/**
 * The page runs only its own bundled script and style and talks only to this origin's API,
 * so an injected `<script>` or inline handler (say, in a tenant's name) could not run even if
 * one ever reached the DOM. https://www.w3.org/TR/CSP3/
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
    "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

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
    void reply.headers(SECURITY_HEADERS).header('etag', file.etag).header('content-type', file.contentType);
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
