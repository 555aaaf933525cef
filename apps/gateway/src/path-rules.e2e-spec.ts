import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayHarness } from '../../../test/support/gateway-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { TenantSeed } from '../../../test/support/tenant-seed.js';

const APP = 'https://app.paths.test';
const OTHER = 'https://other.test';

function corsHeaderNames(headers: Record<string, unknown>): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('access-control-'));
}

/** An upstream that handles CORS itself, as a tenant does on a path where it disables ours. */
function startUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(req.method === 'OPTIONS' ? 200 : 201, {
      'access-control-allow-origin': 'https://own.upstream.test',
      'content-type': 'text/plain',
    });
    res.end(req.method);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('Gateway path rules', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let upstream: Server;
  let gateway: GatewayHarness;
  const origins = [{ kind: 'exact' as const, value: APP }];

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    upstream = await startUpstream();
    const pathRules = [
      { path: '/public/**', origins: [{ kind: 'any' as const, value: '*' }], allowedMethods: ['GET'] },
      { path: '/echo', origins: [{ kind: 'exact' as const, value: OTHER }], exposedHeaders: ['X-Echo'] },
      { path: '/v1/*/files', allowedMethods: ['GET', 'PUT'], maxAge: 60 },
      { path: '/admin/**', origins: [] },
    ];
    await seed.tenant('paths', { hostnames: ['api.paths.test'], origins, policy: { pathRules } });
    await seed.tenant('plain', { origins });
    await seed.tenant('hooks', {
      origins,
      upstreamUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      policy: { pathRules: [{ path: '/webhooks/**', disabled: true }] },
    });
    await seed.tenant('legacy', { origins, policy: { preflightStatus: 200, timingAllowOrigin: true } });
    gateway = await GatewayHarness.start(db.url, { UPSTREAM_ALLOWED_HOSTS: '127.0.0.1' });
  });
  afterAll(async () => {
    await gateway.close();
    upstream.close();
    await seed.close();
    await db.drop();
  });

  const get = (url: string, origin: string, extra: Record<string, string> = {}) =>
    gateway.request({ method: 'GET', url, headers: { origin, ...extra } });
  const preflight = (url: string, origin: string, method: string) =>
    gateway.request({ method: 'OPTIONS', url, headers: { origin, 'access-control-request-method': method } });

  describe('the first matching rule replaces the policy’s fields', () => {
    it.each(['/t/paths/public/logo.png', '/t/paths/public', '/t/paths/public/', '/t/paths/public/a/b?x=1'])(
      'answers * on %s, where its rule allows any origin',
      async (url) => {
        const response = await get(url, OTHER);

        expect(response.statusCode).not.toBe(403);
        expect(response.headers['access-control-allow-origin']).toBe('*');
      },
    );

    it('keeps the rule’s own methods: a POST under /public is refused', async () => {
      const response = await gateway.request({ method: 'POST', url: '/t/paths/public/form', headers: { origin: APP } });

      expect(response.statusCode).toBe(403);
      expect(corsHeaderNames(response.headers)).toEqual([]);
    });

    it('serves a literal path with the rule’s origins and exposed headers', async () => {
      const byRule = await get('/t/paths/echo', OTHER);
      const byPolicy = await get('/t/paths/echo', APP);

      expect(byRule.statusCode).toBe(200);
      expect(byRule.headers['access-control-allow-origin']).toBe(OTHER);
      expect(byRule.headers['access-control-expose-headers']).toBe('X-Echo');
      expect(byPolicy.statusCode).toBe(403);
    });

    it('matches * as one segment, falling back to the policy’s origins', async () => {
      const allowed = await preflight('/t/paths/v1/42/files', APP, 'PUT');
      const deeper = await preflight('/t/paths/v1/42/43/files', APP, 'PUT');

      expect(allowed.statusCode).toBe(204);
      expect(allowed.headers['access-control-allow-methods']).toBe('GET, PUT');
      expect(allowed.headers['access-control-max-age']).toBe('60');
      expect(deeper.statusCode).toBe(403);
    });

    it('applies the policy itself where no rule matches', async () => {
      const response = await get('/t/paths/other', APP);

      expect(response.headers['access-control-allow-origin']).toBe(APP);
      expect((await get('/t/paths/other', OTHER)).statusCode).toBe(403);
    });

    it('matches the path the tenant sees when the tenant is found by its Host', async () => {
      const response = await get('/public/logo.png', OTHER, { host: 'api.paths.test' });

      expect(response.headers['access-control-allow-origin']).toBe('*');
    });

    it('leaves a tenant without path rules alone', async () => {
      expect((await get('/t/plain/public/logo.png', OTHER)).statusCode).toBe(403);
    });
  });

  describe('path normalisation', () => {
    it.each([
      '/t/paths/admin/users',
      '/t/paths/public/../admin/users',
      '/t/paths/public/%2e%2E/admin/users',
      '/t/paths/public/.%2e/admin',
      '/t/paths//admin',
      '/t/paths/./admin/',
      '/t/paths/%61dmin/users',
    ])('reaches the /admin rule (no origin allowed) through %s', async (url) => {
      const response = await get(url, APP);

      expect(response.statusCode).toBe(403);
      expect(corsHeaderNames(response.headers)).toEqual([]);
    });

    it('keeps an encoded slash inside its segment: /public%2F.. is not under /public', async () => {
      const response = await get('/t/paths/public%2F..%2Fadmin', OTHER);

      expect(response.statusCode).toBe(403);
    });
  });

  describe('disabled: true', () => {
    it('passes a preflight to the upstream untouched, with the upstream’s own CORS headers', async () => {
      const response = await preflight('/t/hooks/webhooks/stripe', OTHER, 'DELETE');

      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('OPTIONS');
      expect(response.headers['access-control-allow-origin']).toBe('https://own.upstream.test');
      expect(response.headers.vary).toBeUndefined();
    });

    it('never refuses an actual request there', async () => {
      const response = await gateway.request({ method: 'POST', url: '/t/hooks/webhooks', headers: { origin: OTHER } });

      expect(response.statusCode).toBe(201);
    });

    it('still processes CORS on the tenant’s other paths', async () => {
      const response = await get('/t/hooks/orders', OTHER);

      expect(response.statusCode).toBe(403);
    });
  });

  describe('preflight options', () => {
    it('answers a preflight with the configured status 200', async () => {
      const response = await preflight('/t/legacy/echo', APP, 'GET');

      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(APP);
      expect(response.headers['timing-allow-origin']).toBeUndefined();
    });

    it('answers 204 by default', async () => {
      expect((await preflight('/t/plain/echo', APP, 'GET')).statusCode).toBe(204);
    });

    it('adds Timing-Allow-Origin to allowed actual responses only', async () => {
      const allowed = await get('/t/legacy/echo', APP);
      const refused = await get('/t/legacy/echo', OTHER);
      const without = await get('/t/plain/echo', APP);

      expect(allowed.headers['timing-allow-origin']).toBe(APP);
      expect(refused.headers['timing-allow-origin']).toBeUndefined();
      expect(without.headers['timing-allow-origin']).toBeUndefined();
    });
  });
});
