import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OpenApiDocument } from './openapi-document.js';

// Swagger UI's files as @nestjs/swagger ships them (swagger-ui-dist, its dependency). Served
// here rather than by SwaggerModule.setup, which needs @fastify/static (not installed) and must
// run before the Fastify instance is ready, while createNestFastifyApp returns it ready.
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>corsmesh admin API</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script src="/docs/swagger-ui-init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: '/docs-json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

/** OpenAPI at `/docs` (Swagger UI) and `/docs-json` (the document); public, like the API's shape. */
@ApiExcludeController()
@Controller('docs')
export class DocsController {
  private readonly assets = new Map<string, Buffer>();

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get('swagger-ui-init.js')
  @Header('content-type', 'application/javascript; charset=utf-8')
  init(): string {
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
    void reply.header('content-type', type).header('cache-control', 'public, max-age=86400');
    return content;
  }
}

/** `/docs-json`: a sibling path, the `@nestjs/swagger` convention. */
@ApiExcludeController()
@Controller('docs-json')
export class DocsJsonController {
  constructor(private readonly document: OpenApiDocument) {}

  @Get()
  json(): OpenAPIObject {
    return this.document.get();
  }
}

function swaggerUiDir(): string {
  const fromSwagger = createRequire(createRequire(import.meta.url).resolve('@nestjs/swagger'));
  return dirname(fromSwagger.resolve('swagger-ui-dist/package.json'));
}
