import { createApiKey, createTenant } from '../../../../test/factories/admin-api.factory.js';
import { buildTenantInput } from '../../../../test/factories/tenant.factory.js';
import { type AdminRequest, type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { registeredRoutes } from '../../../../test/support/fastify-routes.js';
import { PrismaService } from '#database';
import { ApiAuthGuard } from './api-auth.guard.js';
import { MAX_AUTH_FAILURES } from './auth-failure.limiter.js';

/** What each route's caller may do: `root` only, or also the tenant's own key. */
type Access = 'root' | 'tenant';

interface Fixture {
  readonly slug: string;
  readonly originId: string;
  readonly spareKeyId: string;
  readonly refusalId: string;
}

interface RouteCase {
  readonly method: AdminRequest['method'];
  readonly url: string;
  readonly access: Access;
  readonly body?: () => unknown;
  /** Appended to the URL: the tenant of a route outside /tenants/{slug} is in `?tenant=`. */
  readonly query?: string;
  readonly headers?: Record<string, string>;
}

const POLICY = {
  allowedMethods: ['GET'],
  allowedHeaders: [],
  exposedHeaders: [],
  allowCredentials: false,
  maxAge: 60,
  allowPrivateNetwork: false,
  mode: 'enforce',
};

// Every /api/v1 route and who may call it; the first test checks this table against the router,
// so a new route cannot be added without deciding (and testing) its access.
const ROUTES: readonly RouteCase[] = [
  { method: 'POST', url: '/api/v1/tenants', access: 'root', body: () => buildTenantInput() },
  { method: 'GET', url: '/api/v1/tenants', access: 'root' },
  { method: 'GET', url: '/api/v1/tenants/:slug', access: 'tenant' },
  { method: 'PATCH', url: '/api/v1/tenants/:slug', access: 'root', body: () => ({ name: 'Renamed' }) },
  { method: 'DELETE', url: '/api/v1/tenants/:slug', access: 'root' },
  { method: 'GET', url: '/api/v1/tenants/:slug/policy', access: 'tenant' },
  { method: 'PUT', url: '/api/v1/tenants/:slug/policy', access: 'tenant', body: () => ({ ...POLICY, version: 1 }) },
  { method: 'PATCH', url: '/api/v1/tenants/:slug/policy', access: 'tenant', body: () => ({ maxAge: 30, version: 1 }) },
  { method: 'GET', url: '/api/v1/tenants/:slug/origins', access: 'tenant' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:slug/origins',
    access: 'tenant',
    body: () => ({ origin: 'https://new.example.com' }),
  },
  {
    method: 'PUT',
    url: '/api/v1/tenants/:slug/origins',
    access: 'tenant',
    body: () => ({ origins: [{ origin: 'https://put.example.com' }] }),
  },
  { method: 'DELETE', url: '/api/v1/tenants/:slug/origins/:id', access: 'tenant' },
  { method: 'GET', url: '/api/v1/tenants/:slug/api-keys', access: 'tenant' },
  { method: 'POST', url: '/api/v1/tenants/:slug/api-keys', access: 'tenant', body: () => ({ name: 'another' }) },
  { method: 'DELETE', url: '/api/v1/tenants/:slug/api-keys/:id', access: 'tenant' },
  { method: 'GET', url: '/api/v1/tenants/:slug/audit', access: 'tenant' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:slug/check',
    access: 'tenant',
    body: () => ({ origin: 'https://a.example.com', method: 'GET' }),
  },
  { method: 'GET', url: '/api/v1/export', query: '?format=s3&tenant=:slug', access: 'tenant' },
  {
    method: 'POST',
    url: '/api/v1/import',
    query: '?format=s3&tenant=:slug',
    access: 'tenant',
    body: () => ({ CORSRules: [{ AllowedOrigins: ['https://s3.example.com'], AllowedMethods: ['GET'] }] }),
  },
  { method: 'GET', url: '/api/v1/tenants/:slug/refusals', access: 'tenant' },
  { method: 'DELETE', url: '/api/v1/tenants/:slug/refusals/:id', access: 'tenant' },
  { method: 'GET', url: '/api/v1/tenants/:slug/traffic', access: 'tenant' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:slug/policy/preview',
    access: 'tenant',
    body: () => ({ origins: ['https://a.example.com'] }),
  },
  { method: 'GET', url: '/api/v1/tenants/:slug/versions', access: 'tenant' },
  { method: 'GET', url: '/api/v1/tenants/:slug/versions/:version', access: 'tenant' },
  { method: 'GET', url: '/api/v1/tenants/:slug/versions/:version/diff', access: 'tenant', query: '?against=1' },
  { method: 'POST', url: '/api/v1/tenants/:slug/versions/:version/restore', access: 'tenant', headers: { 'if-match': '*' } },
];

function resolve(route: RouteCase, slug: string, fixture: Fixture): string {
  const id = route.url.includes('/origins/') ? fixture.originId : route.url.includes('/refusals/') ? fixture.refusalId : fixture.spareKeyId;
  return (route.url + (route.query ?? '')).replaceAll(':slug', slug).replace(':id', id).replace(':version', '1');
}

describe(ApiAuthGuard.name, () => {
  let api: AdminTestApp;

  beforeAll(async () => {
    api = await startAdminTestApp();
  });
  afterAll(async () => {
    await api.close();
  });

  describe('routes', () => {
    it('has an access rule for every /api/v1 route in the router', () => {
      const routed = registeredRoutes(api.app.getHttpAdapter().getInstance())
        .filter((route) => route.url.startsWith('/api/'))
        .map((route) => `${route.method} ${route.url}`)
        .sort();

      expect(routed).toEqual(ROUTES.map((route) => `${route.method} ${route.url}`).sort());
    });
  });

  describe.each(ROUTES)('$method $url', (route) => {
    let fixture: Fixture;
    let ownKey: string;
    let otherKey: string;
    /** `token`: a bearer token, null for none, undefined for the root token. */
    const call = (token: string | null | undefined, slug = fixture.slug, remoteAddress?: string) =>
      api.request({
        method: route.method,
        url: resolve(route, slug, fixture),
        token,
        ...(route.body === undefined ? {} : { body: route.body() }),
        ...(route.headers === undefined ? {} : { headers: route.headers }),
        ...(remoteAddress === undefined ? {} : { remoteAddress }),
      });

    beforeAll(async () => {
      const { slug } = await createTenant(api);
      const other = await createTenant(api);
      ownKey = (await createApiKey(api, slug, 'own')).secret;
      otherKey = (await createApiKey(api, other.slug, 'other')).secret;
      const spare = await createApiKey(api, slug, 'spare');
      const origin = await api.request({
        method: 'POST',
        url: `/api/v1/tenants/${slug}/origins`,
        body: { origin: 'https://old.example.com' },
      });
      // A refusal as a gateway records it, for the routes that read or dismiss one.
      const [refusal] = await api.app.get(PrismaService).$queryRaw<{ id: string }[]>`
        INSERT INTO traffic_refusals (tenant_id, origin, reason, mode, count, methods, request_headers, sample_path, first_seen_at, last_seen_at)
        SELECT id, 'https://refused.example.com', 'origin_not_listed', 'enforce', 1, '{GET}', '{}', '/', now(), now()
          FROM tenants WHERE slug = ${slug}
        RETURNING id`;
      fixture = { slug, originId: origin.json().id, spareKeyId: spare.id, refusalId: refusal!.id };
    });

    it('refuses a request without a token with 401 and WWW-Authenticate', async () => {
      const response = await call(null);

      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it.each([
      ['a wrong token', 'not-the-token-but-long-enough-to-look-real'],
      // A key id of its own per route: failures against one key id count from every address.
      ['a well-formed but unknown key', `cmk_${ROUTES.indexOf(route).toString(16).padStart(16, '0')}_${'A'.repeat(43)}`],
    ])('refuses %s with 401', async (_name, token) => {
      const response = await call(token, fixture.slug, `198.51.100.${ROUTES.indexOf(route) + 1}`);

      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('refuses another tenant’s key with 403', async () => {
      const response = await call(otherKey);

      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('forbidden');
    });

    it('refuses another tenant’s key with 403 also for a tenant that does not exist', async () => {
      expect((await call(otherKey, 'no-such-tenant')).statusCode).toBe(403);
    });

    it(
      route.access === 'tenant' ? 'serves the tenant’s own key' : 'refuses the tenant’s own key with 403',
      async () => {
        const response = await call(ownKey);

        if (route.access === 'tenant') {
          expect(response.statusCode).toBeGreaterThanOrEqual(200);
          expect(response.statusCode).toBeLessThan(300);
        } else {
          expect(response.statusCode).toBe(403);
        }
      },
    );

    it('serves the root token', async () => {
      const response = await call(undefined);

      // After the own key's call a removed id is gone (404); anything but an auth refusal.
      expect([401, 403]).not.toContain(response.statusCode);
      expect(response.statusCode).toBeLessThan(500);
    });
  });

  describe('api keys', () => {
    it('stops a revoked key at once', async () => {
      const { slug } = await createTenant(api);
      const key = await createApiKey(api, slug);
      expect((await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}`, token: key.secret })).statusCode).toBe(
        200,
      );

      await api.request({ method: 'DELETE', url: `/api/v1/tenants/${slug}/api-keys/${key.id}` });

      expect(
        (
          await api.request({
            method: 'GET',
            url: `/api/v1/tenants/${slug}`,
            token: key.secret,
            remoteAddress: '192.0.2.77',
          })
        ).statusCode,
      ).toBe(401);
    });

    it('refuses a key whose secret does not match its prefix', async () => {
      const { slug } = await createTenant(api);
      const key = await createApiKey(api, slug);
      const forged = `cmk_${key.prefix}_${'B'.repeat(43)}`;

      expect(
        (
          await api.request({
            method: 'GET',
            url: `/api/v1/tenants/${slug}`,
            token: forged,
            remoteAddress: '192.0.2.78',
          })
        ).statusCode,
      ).toBe(401);
    });

    it('records the key as the actor of its changes', async () => {
      const { slug } = await createTenant(api);
      const key = await createApiKey(api, slug);

      await api.request({
        method: 'POST',
        url: `/api/v1/tenants/${slug}/origins`,
        body: { origin: 'https://by-key.example.com' },
        token: key.secret,
      });

      const audit = await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/audit?limit=1` });
      expect(audit.json().items[0]).toMatchObject({ actor: `key:${key.prefix}`, action: 'origin.added' });
    });
  });

  describe('failed authentications', () => {
    const failures = (remoteAddress: string, count: number, token = (i: number) => `wrong-token-${i}`, headers = {}) =>
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          api.request({ method: 'GET', url: '/api/v1/tenants', token: token(i), remoteAddress, headers }),
        ),
      );

    it(`answers wrong tokens 429 with Retry-After after ${MAX_AUTH_FAILURES} failures, only at that address`, async () => {
      const remoteAddress = '203.0.113.9';
      const first = await failures(remoteAddress, MAX_AUTH_FAILURES);

      const blocked = await api.request({ method: 'GET', url: '/api/v1/tenants', token: 'wrong-again', remoteAddress });
      const elsewhere = await api.request({
        method: 'GET',
        url: '/api/v1/tenants',
        token: 'wrong-elsewhere',
        remoteAddress: '203.0.113.10',
      });

      expect(first.map((response) => response.statusCode)).toEqual(Array(MAX_AUTH_FAILURES).fill(401));
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(blocked.headers['content-type']).toContain('application/problem+json');
      expect(elsewhere.statusCode).toBe(401);
    });

    it('never locks out the root token or a tenant key at an address that keeps failing', async () => {
      const { slug } = await createTenant(api);
      const key = await createApiKey(api, slug);
      const remoteAddress = '203.0.113.20';
      await failures(remoteAddress, MAX_AUTH_FAILURES * 3);

      const root = await api.request({ method: 'GET', url: '/api/v1/tenants', remoteAddress });
      const own = await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}`, token: key.secret, remoteAddress });

      expect(root.statusCode).toBe(200);
      expect(own.statusCode).toBe(200);
    });

    it('limits guesses of one key’s secret from rotating addresses, never the key itself', async () => {
      const { slug } = await createTenant(api);
      const key = await createApiKey(api, slug);
      const guess = (i: number) => `cmk_${key.prefix}_${String(i).padStart(43, 'G')}`;
      const url = `/api/v1/tenants/${slug}`;
      for (let i = 0; i < MAX_AUTH_FAILURES; i++) {
        await api.request({ method: 'GET', url, token: guess(i), remoteAddress: `198.51.100.${100 + i}` });
      }

      const guessed = await api.request({ method: 'GET', url, token: guess(99), remoteAddress: '198.51.100.199' });
      const holder = await api.request({ method: 'GET', url, token: key.secret, remoteAddress: '198.51.100.200' });

      expect(guessed.statusCode).toBe(429);
      expect(holder.statusCode).toBe(200);
    });

    it('counts the socket address, not a client-sent X-Forwarded-For, when TRUST_PROXY is off', async () => {
      const remoteAddress = '203.0.113.30';
      const spoofed = '203.0.113.31';
      await failures(remoteAddress, MAX_AUTH_FAILURES, undefined, { 'x-forwarded-for': spoofed });
      const rotated = await api.request({
        method: 'GET',
        url: '/api/v1/tenants',
        token: 'wrong-rotated',
        remoteAddress,
        headers: { 'x-forwarded-for': '192.0.2.200' },
      });
      const spoofedVictim = await api.request({
        method: 'GET',
        url: '/api/v1/tenants',
        token: 'wrong-victim',
        remoteAddress: spoofed,
      });

      expect(rotated.statusCode).toBe(429);
      expect(spoofedVictim.statusCode).toBe(401);
    });

    it('does not count requests without a token', async () => {
      const remoteAddress = '203.0.113.11';
      for (let i = 0; i < MAX_AUTH_FAILURES + 2; i++)
        await api.request({ method: 'GET', url: '/api/v1/tenants', token: null, remoteAddress });

      expect((await api.request({ method: 'GET', url: '/api/v1/tenants', token: 'wrong', remoteAddress })).statusCode).toBe(
        401,
      );
    });

    it('counts the client a trusted proxy reports when TRUST_PROXY trusts one hop', async () => {
      const behindProxy = await startAdminTestApp({ TRUST_PROXY: '1' });
      try {
        const wrong = (remoteAddress: string, client: string) =>
          behindProxy.request({
            method: 'GET',
            url: '/api/v1/tenants',
            token: 'wrong-token',
            remoteAddress,
            headers: { 'x-forwarded-for': client },
          });
        for (let i = 0; i < MAX_AUTH_FAILURES; i++) await wrong('10.0.0.1', '198.51.100.50');

        expect((await wrong('10.0.0.2', '198.51.100.50')).statusCode).toBe(429);
        expect((await wrong('10.0.0.1', '198.51.100.51')).statusCode).toBe(401);
      } finally {
        await behindProxy.close();
      }
    });

    it('refuses a header that is not Bearer with 401', async () => {
      const response = await api.request({
        method: 'GET',
        url: '/api/v1/tenants',
        token: null,
        headers: { authorization: 'Basic dXNlcjpwYXNz' },
        remoteAddress: '203.0.113.12',
      });

      expect(response.statusCode).toBe(401);
      expect(response.json().detail).toBe('the Authorization header must be "Bearer <token>"');
    });
  });
});
