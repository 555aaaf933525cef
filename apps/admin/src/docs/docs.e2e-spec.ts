import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { registeredRoutes } from '../../../../test/support/fastify-routes.js';
import { excludedFromDocsCount } from '../../../../test/support/nest-routes.js';
import { PAGE_SECURITY_HEADERS } from '../dashboard/security-headers.js';
import { DocsController } from './docs.controller.js';

interface Operation {
  security?: unknown[];
  requestBody?: { content: Record<string, { examples?: object }> };
  responses: Record<string, unknown>;
}

describe(DocsController.name, () => {
  let api: AdminTestApp;
  let document: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    api = await startAdminTestApp();
    const response = await api.request({ method: 'GET', url: '/docs-json', token: null });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });
  afterAll(async () => {
    await api.close();
  });

  describe('json', () => {
    it('documents every route the router serves, but those deliberately excluded', () => {
      const routes = registeredRoutes(api.app.getHttpAdapter().getInstance()).map(
        (route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`,
      );
      const documented = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      );
      const undocumented = routes.filter((route) => !documented.includes(route));

      expect(routes.filter((route) => route.includes('/api/')).length).toBeGreaterThan(15);
      // Everything documented is served, and what is served but not documented (Swagger UI,
      // the dashboard page) is exactly what controllers exclude with @ApiExcludeController.
      expect(routes).toEqual(expect.arrayContaining(documented));
      expect(undocumented.filter((route) => route.includes('/api/') || route.includes('/health/'))).toEqual([]);
      expect(undocumented).toHaveLength(excludedFromDocsCount(api.app));
    });

    it('resolves every schema reference', () => {
      const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
        (m) => m[1]!,
      );

      expect(refs.length).toBeGreaterThan(20);
      for (const ref of new Set(refs)) expect(Object.keys(document.components.schemas)).toContain(ref);
    });

    it('gives every API operation bearer auth, problem responses and body examples', () => {
      for (const [path, item] of Object.entries(document.paths).filter(([path]) => path.startsWith('/api/'))) {
        for (const [method, operation] of Object.entries(item)) {
          const where = `${method.toUpperCase()} ${path}`;
          expect([where, operation.security]).toEqual([where, [{ bearer: [] }]]);
          expect([where, Object.keys(operation.responses)]).toEqual([
            where,
            expect.arrayContaining(['401', '403', '429']),
          ]);
          if (operation.requestBody !== undefined) {
            expect([
              where,
              Object.keys(operation.requestBody.content['application/json']?.examples ?? {}).length > 0,
            ]).toEqual([where, true]);
          }
        }
      }
    });

    it('says which hosts a tenant write refuses, and how the operator allows them', () => {
      const create = document.components.schemas.CreateTenant as { properties: Record<string, { description?: string }> };

      expect(create.properties.hostnames?.description).toMatch(/IP literals.*localhost.*UPSTREAM_ALLOWED_HOSTS/);
      expect(create.properties.upstreamUrl?.description).toMatch(/loopback.*169\.254\.169\.254.*UPSTREAM_ALLOWED_HOSTS/);
    });
  });

  describe('page', () => {
    it('serves Swagger UI at /docs with its assets', async () => {
      const page = await api.request({ method: 'GET', url: '/docs', token: null });
      const bundle = await api.request({ method: 'GET', url: '/docs/swagger-ui-bundle.js', token: null });
      const css = await api.request({ method: 'GET', url: '/docs/swagger-ui.css', token: null });

      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('swagger-ui-bundle.js');
      expect(bundle.statusCode).toBe(200);
      expect(bundle.headers['content-type']).toContain('javascript');
      expect(css.headers['content-type']).toContain('text/css');
    });

    it.each(['/docs', '/docs/swagger-ui-init.js', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/docs-json'])(
      'sends the dashboard’s security headers with %s',
      async (url) => {
        const response = await api.request({ method: 'GET', url, token: null });

        expect(response.statusCode).toBe(200);
        expect(response.headers).toMatchObject(PAGE_SECURITY_HEADERS);
      },
    );

    it('never keeps the authorisation in browser storage', async () => {
      const init = await api.request({ method: 'GET', url: '/docs/swagger-ui-init.js', token: null });

      expect(init.body).toContain('persistAuthorization: false');
    });

    it('answers 404 for any other file', async () => {
      expect((await api.request({ method: 'GET', url: '/docs/package.json', token: null })).statusCode).toBe(404);
    });
  });
});
