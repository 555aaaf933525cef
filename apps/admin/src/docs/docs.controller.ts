import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PAGE_SECURITY_HEADERS } from '../dashboard/security-headers.js';
import { OpenApiDocument } from './openapi-document.js';

// Swagger UI's files as @nestjs/swagger ships them (swagger-ui-dist, its dependency). Served
// here rather than by SwaggerModule.setup, which needs @fastify/static (not installed) and must
// run before the Fastify instance is ready, while createNestFastifyApp returns it ready.
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>corsmesh admin API</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-init.js"></script>
</body>
</html>
`;

// No persistAuthorization: it would keep the root token in localStorage, where any script
// of this origin, and anyone at the browser later, could read it. No validator badge (an
// image from swagger.io) and the base layout without the standalone top bar, whose logo is an
// SVG with an inline <style>: both would need exceptions to the CSP.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/docs-json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

/**
 * OpenAPI at `/docs` (Swagger UI) and `/docs-json` (the document); public, like the API's
 * shape. Swagger UI is a page that holds the root token once someone authorises in it, so it
 * gets the dashboard's security headers: its own scripts only, no framing.
 */
@ApiExcludeController()
@Controller('docs')
export class DocsController {
  private readonly assets = new Map<string, Buffer>();

  @Get()
  page(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.headers(PAGE_SECURITY_HEADERS).header('content-type', 'text/html; charset=utf-8');
    return PAGE;
  }

  @Get('swagger-ui-init.js')
  init(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.headers(PAGE_SECURITY_HEADERS).header('content-type', 'application/javascript; charset=utf-8');
    return INIT;
  }

  @Get(':asset')
  async asset(@Param('asset') name: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const type = ASSETS[name];
    if (type === undefined) throw new NotFoundException(`no ${name} in /docs`);
    let content = this.assets.get(name);
    if (content === undefined) {
      content = await readFile(join(swaggerUiDir(), name));
      this.assets.set(name, content);
    }
    void reply
      .headers(PAGE_SECURITY_HEADERS)
      .header('content-type', type)
      .header('cache-control', 'public, max-age=86400');
    return content;
  }
}

/** `/docs-json`: a sibling path, the `@nestjs/swagger` convention. */
@ApiExcludeController()
@Controller('docs-json')
export class DocsJsonController {
  constructor(private readonly document: OpenApiDocument) {}

  @Get()
  json(@Res({ passthrough: true }) reply: FastifyReply): OpenAPIObject {
    void reply.headers(PAGE_SECURITY_HEADERS);
    return this.document.get();
  }
}

function swaggerUiDir(): string {
  const fromSwagger = createRequire(createRequire(import.meta.url).resolve('@nestjs/swagger'));
  return dirname(fromSwagger.resolve('swagger-ui-dist/package.json'));
}
