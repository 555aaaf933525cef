import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { GatewayHarness } from '../../../test/support/gateway-harness.js';
import { TenantSeed } from '../../../test/support/tenant-seed.js';

const APP = 'https://app.acme.test';
const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network';

function corsHeaderNames(headers: Record<string, unknown>): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('access-control-'));
}

describe('Gateway CORS', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let gateway: GatewayHarness;

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    await seed.tenant('acme', {
      hostnames: ['api.acme.test'],
      origins: [
        { kind: 'exact', value: APP },
        { kind: 'wildcard', value: 'https://*.partners.test' },
      ],
      policy: { allowedMethods: ['GET', 'POST', 'PUT'], allowedHeaders: ['Content-Type', 'X-Request-Id'], exposedHeaders: ['X-Total'], maxAge: 300 },
    });
    await seed.tenant('creds', {
      origins: [{ kind: 'exact', value: APP }],
      policy: { allowCredentials: true, allowPrivateNetwork: true, allowedHeaders: ['*'] },
    });
    await seed.tenant('observe', { origins: [{ kind: 'exact', value: APP }], policy: { mode: 'report-only' } });
    gateway = await GatewayHarness.start(db.url, { BASE_DOMAIN: 'apis.example.test' });
  });
  afterAll(async () => {
    await gateway.close();
    await seed.close();
    await db.drop();
  });

  describe('actual requests', () => {
    it('allows a listed origin: echoes it, exposes headers, varies on Origin, runs the handler', async () => {
      const response = await gateway.request({ method: 'POST', url: '/t/acme/echo?q=1', headers: { origin: APP }, payload: { a: 1 } });

      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(APP);
      expect(response.headers['access-control-expose-headers']).toBe('X-Total');
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expect(response.headers.vary).toBe('Origin');
      expect(response.json()).toMatchObject({ tenant: 'acme', method: 'POST', path: '/echo' });
    });

    it('allows a subdomain through a wildcard rule', async () => {
      const response = await gateway.request({ method: 'GET', url: '/t/acme/echo', headers: { origin: 'https://eu.shop.partners.test' } });

      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('https://eu.shop.partners.test');
    });

    it.each(['https://evil.test', 'https://partners.test', 'https://app.acme.test.evil.test', 'null', 'https://evil.test#@app.acme.test'])(
      'refuses %s with 403 before the handler, with no CORS headers',
      async (origin) => {
        const response = await gateway.request({ method: 'POST', url: '/t/acme/echo', headers: { origin }, payload: { a: 1 } });

        expect(response.statusCode).toBe(403);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(corsHeaderNames(response.headers)).toEqual([]);
        expect(response.headers.vary).toBe('Origin');
        expect(response.json().detail).toMatch(/matched no rule|not a valid origin/);
      },
    );

    it('serves a request without Origin, varying on Origin', async () => {
      const response = await gateway.request({ method: 'GET', url: '/t/acme/echo' });

      expect(response.statusCode).toBe(200);
      expect(corsHeaderNames(response.headers)).toEqual([]);
      expect(response.headers.vary).toBe('Origin');
    });

    it('serves a same-origin request whose origin is not listed', async () => {
      const response = await gateway.request({ method: 'POST', url: '/echo', headers: { host: 'api.acme.test', origin: 'http://api.acme.test' } });

      expect(response.statusCode).toBe(200);
      expect(response.json().tenant).toBe('acme');
    });

    it('puts CORS headers on a 404 of a tenant', async () => {
      const response = await gateway.request({ method: 'GET', url: '/t/acme/no-such-route', headers: { origin: APP } });

      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['access-control-allow-origin']).toBe(APP);
      expect(response.headers.vary).toBe('Origin');
    });

    it('lets a refused origin through in report-only mode, without CORS headers', async () => {
      const response = await gateway.request({ method: 'POST', url: '/t/observe/echo', headers: { origin: 'https://evil.test' } });

      expect(response.statusCode).toBe(200);
      expect(corsHeaderNames(response.headers)).toEqual([]);
      expect(response.headers.vary).toBe('Origin');
    });

    it('sends credentials and never a wildcard when credentials are allowed', async () => {
      const response = await gateway.request({ method: 'GET', url: '/t/creds/echo', headers: { origin: APP, cookie: 'a=1' } });

      expect(response.headers['access-control-allow-origin']).toBe(APP);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      expect(response.json().headers.cookie).toBeUndefined();
    });
  });

  describe('preflights', () => {
    const preflight = (url: string, headers: Record<string, string>) => gateway.request({ method: 'OPTIONS', url, headers });

    it('answers an allowed preflight itself with 204 and exactly what is allowed', async () => {
      const response = await preflight('/t/acme/echo', {
        origin: APP,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type,x-request-id',
      });

      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(APP);
      expect(response.headers['access-control-allow-methods']).toBe('GET, POST, PUT');
      expect(response.headers['access-control-allow-headers']).toBe('content-type,x-request-id');
      expect(response.headers['access-control-max-age']).toBe('300');
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expect(response.headers.vary).toBe(PREFLIGHT_VARY);
      expect(response.body).toBe('');
    });

    it('answers a preflight for a path no route serves', async () => {
      const response = await preflight('/t/acme/anything/at/all', { origin: APP, 'access-control-request-method': 'GET' });

      expect(response.statusCode).toBe(204);
    });

    it.each([
      ['a method not allowed', { 'access-control-request-method': 'DELETE' }, /method DELETE is not in allowedMethods/],
      ['a header not allowed', { 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-secret' }, /header x-secret/],
      ['private network access', { 'access-control-request-method': 'GET', 'access-control-request-private-network': 'true' }, /private network/],
    ])('refuses %s with 403 and no CORS headers', async (_, headers, reason) => {
      const response = await preflight('/t/acme/echo', { origin: APP, ...headers });

      expect(response.statusCode).toBe(403);
      expect(corsHeaderNames(response.headers)).toEqual([]);
      expect(response.headers.vary).toBe(PREFLIGHT_VARY);
      expect(response.json().detail).toMatch(reason);
    });

    it('refuses a preflight from an unlisted origin', async () => {
      const response = await preflight('/t/acme/echo', { origin: 'https://evil.test', 'access-control-request-method': 'GET' });

      expect(response.statusCode).toBe(403);
      expect(corsHeaderNames(response.headers)).toEqual([]);
    });

    it('answers credentials and private network, naming headers instead of *', async () => {
      const response = await preflight('/t/creds/echo', {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-custom',
        'access-control-request-private-network': 'true',
      });

      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      expect(response.headers['access-control-allow-private-network']).toBe('true');
      expect(response.headers['access-control-allow-headers']).toBe('x-custom');
      expect(Object.values(response.headers)).not.toContain('*');
    });

    it('decides OPTIONS without Access-Control-Request-Method as an actual request, method checked', async () => {
      const response = await gateway.request({ method: 'OPTIONS', url: '/t/acme/echo', headers: { origin: APP } });

      expect(response.statusCode).toBe(403);
      expect(response.headers.vary).toBe('Origin');
      expect(response.json().detail).toMatch(/method OPTIONS is not in allowedMethods/);
    });

    it('answers 204 without CORS headers to a refused preflight in report-only mode', async () => {
      const response = await preflight('/t/observe/echo', { origin: 'https://evil.test', 'access-control-request-method': 'GET' });

      expect(response.statusCode).toBe(204);
      expect(corsHeaderNames(response.headers)).toEqual([]);
    });
  });

  describe('tenant resolution', () => {
    it('finds the tenant by one of its hostnames, whatever the case and port', async () => {
      const response = await gateway.request({ method: 'GET', url: '/echo', headers: { host: 'API.ACME.test:8443', origin: APP } });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ tenant: 'acme', path: '/echo' });
      expect(response.headers['access-control-allow-origin']).toBe(APP);
    });

    it('finds the tenant by <slug>.<BASE_DOMAIN>', async () => {
      const response = await gateway.request({ method: 'GET', url: '/echo', headers: { host: 'creds.apis.example.test', origin: APP } });

      expect(response.json().tenant).toBe('creds');
      expect(response.headers['access-control-allow-credentials']).toBe('true');
    });

    it.each([
      ['an unknown slug', 'GET', {}],
      ['an unknown slug in a preflight', 'OPTIONS', { 'access-control-request-method': 'GET' }],
    ] as const)('answers %s with 404 and no CORS headers', async (_, method, headers) => {
      const response = await gateway.request({ method, url: '/t/nobody/echo', headers: { origin: APP, ...headers } });

      expect(response.statusCode).toBe(404);
      expect(corsHeaderNames(response.headers)).toEqual([]);
      expect(response.headers.vary).toBeUndefined();
    });

    it('leaves the gateway’s own routes alone', async () => {
      const response = await gateway.request({ method: 'GET', url: '/health/live', headers: { origin: 'https://evil.test' } });

      expect(response.statusCode).toBe(200);
      expect(corsHeaderNames(response.headers)).toEqual([]);
    });
  });

  describe('metrics', () => {
    it('counts decisions, cache hits and misses in Prometheus text', async () => {
      await gateway.request({ method: 'GET', url: '/t/acme/echo', headers: { origin: 'https://evil.test' } });

      const response = await gateway.request({ method: 'GET', url: '/metrics' });

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.body).toMatch(/corsmesh_cors_decisions_total\{kind="actual",outcome="refused"\} [1-9]/);
      expect(response.body).toMatch(/corsmesh_cors_decisions_total\{kind="preflight",outcome="allowed"\} [1-9]/);
      expect(response.body).toMatch(/corsmesh_policy_cache_hits_total [1-9]/);
      expect(response.body).toMatch(/corsmesh_policy_cache_misses_total [1-9]/);
      expect(response.body).toMatch(/corsmesh_policy_lookup_seconds_count [1-9]/);
    });
  });
});
