import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { DashboardController } from './dashboard.controller.js';

// Needs the built page (`npm run build`, which `npm test` runs first).
describe(DashboardController.name, () => {
  let admin: AdminTestApp;

  beforeAll(async () => {
    admin = await startAdminTestApp();
  });
  afterAll(async () => {
    await admin.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => admin.request({ method: 'GET', url, token: null, headers });

  describe('the page', () => {
    it('serves the page at / without a token, under a strict content security policy', async () => {
      const response = await get('/');

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('<div id="app"></div>');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-cache');
    });

    it.each(['/tenants', '/tenants/acme', '/tenants/acme/policy', '/tenants/a%20b/keys'])('serves the page for the client route %s', async (url) => {
      const response = await get(url);

      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<div id="app"></div>');
    });

    it('answers 304 when the page has not changed', async () => {
      const first = await get('/');

      const again = await get('/', { 'if-none-match': String(first.headers.etag) });

      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    });
  });

  describe('its files', () => {
    it('serves the bundle the page names, cached for good', async () => {
      const page = await get('/');
      const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
      expect(script).toBeDefined();

      const response = await get(script!);

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    });

    it.each(['/assets/index-missing.js', '/favicon.ico', '/robots.txt'])('answers 404, not the page, for the missing file %s', async (url) => {
      const response = await get(url);

      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('never serves a file outside the build', async () => {
      for (const url of ['/../package.json', '/assets/../../../../package.json', '/%2e%2e/%2e%2e/package.json']) {
        const response = await get(url);
        expect(response.body).not.toContain('"corsmesh"');
      }
    });
  });

  describe('the paths it leaves alone', () => {
    it.each(['/api', '/api/v1/nothing-here', '/docs-yaml', '/health', '/health/nope'])('answers %s with a 404 problem, not the page', async (url) => {
      const response = await get(url);

      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).not.toContain('<div id="app">');
    });

    it('leaves the API, its documentation and the health probes to their own routes', async () => {
      expect((await get('/api/v1/tenants')).statusCode).toBe(401);
      expect((await get('/docs-json')).headers['content-type']).toContain('application/json');
      expect((await get('/docs')).body).not.toContain('<div id="app">');
      expect((await get('/health/live')).statusCode).toBe(200);
    });
  });
});
