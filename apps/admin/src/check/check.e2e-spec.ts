import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { createGatewayApp } from '../../../gateway/src/gateway.app.js';
import { loadGatewayConfig } from '../../../gateway/src/config/gateway.config.js';
import { addOrigins, createTenant } from '../../../../test/factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { testLogger } from '../../../../test/support/silent-logger.js';
import { CheckController } from './check.controller.js';
import { checkResultView } from './check.schema.js';

describe(CheckController.name, () => {
  let api: AdminTestApp;
  let slug: string;
  let version: number;
  const check = async (body: object) => {
    const response = await api.request({ method: 'POST', url: `/api/v1/tenants/${slug}/check`, body });
    expect(response.statusCode).toBe(200);
    return checkResultView.parse(response.json());
  };
  const patchPolicy = async (patch: object) => {
    const response = await api.request({
      method: 'PATCH',
      url: `/api/v1/tenants/${slug}/policy`,
      body: { ...patch, version },
    });
    version = response.json().version;
  };

  beforeAll(async () => {
    api = await startAdminTestApp();
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    ({ slug } = await createTenant(api));
    version = 1;
    await addOrigins(api, slug, 'https://*.example.com');
  });

  describe('check', () => {
    it('explains an allowed actual request with the rule that matched', async () => {
      const result = await check({ origin: 'https://a.example.com', method: 'GET' });

      expect(result).toMatchObject({
        allowed: true,
        kind: 'actual',
        blocked: false,
        matchedRule: { kind: 'wildcard', value: 'https://*.example.com', id: expect.any(String) },
        reasons: ['origin https://a.example.com matched rule https://*.example.com'],
        headers: { 'access-control-allow-origin': 'https://a.example.com', vary: 'Origin' },
      });
    });

    it('decides the preflight of a method that needs one and names the method refused', async () => {
      const result = await check({ origin: 'https://a.example.com', method: 'PUT' });

      expect(result).toMatchObject({
        allowed: false,
        kind: 'preflight',
        blocked: true,
        matchedRule: { value: 'https://*.example.com' },
      });
      expect(result.reasons).toContain('method PUT is not in allowedMethods');
      expect(Object.keys(result.headers)).toEqual(['vary']);
    });

    it('reports method_not_allowed for a safelisted method the policy does not list, actual or preflight', async () => {
      await patchPolicy({ allowedMethods: ['GET'] });

      const actual = await check({ origin: 'https://a.example.com', method: 'POST' });
      const preflight = await check({ origin: 'https://a.example.com', method: 'HEAD', preflight: true });
      const listed = await check({ origin: 'https://a.example.com', method: 'GET' });

      for (const [result, method] of [[actual, 'POST'], [preflight, 'HEAD']] as const) {
        expect(result).toMatchObject({ allowed: false, blocked: true, refusal: 'method_not_allowed' });
        expect(result.reasons).toContain(`method ${method} is not in allowedMethods`);
      }
      expect(actual.kind).toBe('actual');
      expect(listed.allowed).toBe(true);
      expect(listed.refusal).toBeUndefined();
    });

    it('names each request header refused, from a list or a comma-separated string', async () => {
      const fromList = await check({
        origin: 'https://a.example.com',
        method: 'POST',
        requestHeaders: ['Content-Type', 'X-Trace'],
      });
      const fromString = await check({
        origin: 'https://a.example.com',
        method: 'POST',
        requestHeaders: 'content-type, x-trace',
      });

      for (const result of [fromList, fromString]) {
        expect(result.allowed).toBe(false);
        expect(result.reasons).toContain('header x-trace is not in allowedHeaders');
      }
    });

    it('explains an origin no rule matches', async () => {
      const result = await check({ origin: 'https://evil.example.org', method: 'GET' });

      expect(result).toMatchObject({
        allowed: false,
        refusal: 'origin_not_listed',
        reasons: ['origin https://evil.example.org matched no rule'],
      });
      expect(result.matchedRule).toBeUndefined();
    });

    it('says when the rule that would have matched expired', async () => {
      const expiresAt = new Date(Date.now() + 300);
      const added = await api.request({
        method: 'POST',
        url: `/api/v1/tenants/${slug}/origins`,
        body: { origin: 'https://pr-9.preview.example.org', expiresAt: expiresAt.toISOString() },
      });
      expect(added.statusCode).toBe(201);
      expect((await check({ origin: 'https://pr-9.preview.example.org', method: 'GET' })).allowed).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 400));

      const result = await check({ origin: 'https://pr-9.preview.example.org', method: 'GET' });

      expect(result).toMatchObject({
        allowed: false,
        refusal: 'origin_not_listed',
        reasons: [
          'origin https://pr-9.preview.example.org matched no rule',
          `origin rule https://pr-9.preview.example.org expired at ${expiresAt.toISOString()}`,
        ],
      });
    });

    it('says the browser would refuse a credentialed request the policy does not allow credentials for', async () => {
      const result = await check({ origin: 'https://a.example.com', method: 'GET', credentials: true });

      expect(result).toMatchObject({ allowed: false, blocked: false, refusal: 'credentials_not_allowed' });
      expect(result.reasons).toEqual([
        'origin https://a.example.com matched rule https://*.example.com',
        expect.stringContaining('allowCredentials is false'),
      ]);
    });

    it('allows a credentialed preflight once credentials are allowed', async () => {
      await patchPolicy({ allowCredentials: true, allowedMethods: ['GET', 'PUT'] });

      const result = await check({
        origin: 'https://a.example.com',
        method: 'PUT',
        requestHeaders: ['Content-Type'],
        credentials: true,
      });

      expect(result).toMatchObject({ allowed: true, kind: 'preflight', policyVersion: 2 });
      expect(result.headers).toMatchObject({
        'access-control-allow-origin': 'https://a.example.com',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET, PUT',
        'access-control-max-age': '600',
      });
    });

    it('never blocks in report-only mode', async () => {
      await patchPolicy({ mode: 'report-only' });

      const result = await check({ origin: 'https://evil.example.org', method: 'GET' });

      expect(result).toMatchObject({ allowed: false, blocked: false, mode: 'report-only' });
    });

    it('decides a preflight when asked to, even for a simple method', async () => {
      const result = await check({ origin: 'https://a.example.com', method: 'GET', preflight: true });

      expect(result.kind).toBe('preflight');
      expect(result.headers['access-control-max-age']).toBe('600');
    });

    it.each([
      [{ method: 'GET' }, 'origin', 'is required'],
      [{ origin: 'https://a.example.com', method: 'BAD METHOD' }, 'method', 'is not a valid HTTP method'],
      [
        { origin: 'https://a.example.com', method: 'GET', requestHeaders: 5 },
        'requestHeaders',
        'must be a list of header names or a comma-separated string',
      ],
      [{ origin: 'https://a.example.com', method: 'GET', credentials: 'yes' }, 'credentials', 'must be true or false'],
    ])('refuses %j naming %s', async (body, field, reason) => {
      const response = await api.request({ method: 'POST', url: `/api/v1/tenants/${slug}/check`, body });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field, reason }]);
    });

    it('answers 404 for an unknown tenant', async () => {
      const response = await api.request({
        method: 'POST',
        url: '/api/v1/tenants/nobody-here/check',
        body: { origin: 'https://a.example.com', method: 'GET' },
      });

      expect(response.statusCode).toBe(404);
    });
  });

  describe('check against the gateway', () => {
    let gateway: NestFastifyApplication;

    beforeAll(async () => {
      gateway = await createGatewayApp(loadGatewayConfig({ DATABASE_URL: api.db.url }), testLogger());
    });
    afterAll(async () => {
      await gateway.close();
    });

    it.each([
      ['an allowed simple request', { origin: 'https://a.example.com', method: 'GET' }],
      ['a refused origin', { origin: 'https://evil.example.org', method: 'GET' }],
      [
        'an allowed preflight',
        { origin: 'https://a.example.com', method: 'POST', requestHeaders: ['Content-Type'], preflight: true },
      ],
      ['a refused preflight', { origin: 'https://a.example.com', method: 'DELETE' }],
    ])(
      'gives the gateway’s answer to %s',
      async (_name, body: { origin: string; method: string; requestHeaders?: string[]; preflight?: boolean }) => {
        const result = await check(body);
        const preflight = result.kind === 'preflight';

        const served = await gateway
          .getHttpAdapter()
          .getInstance()
          .inject({
            method: preflight ? 'OPTIONS' : (body.method as 'GET'),
            url: `/t/${slug}/echo`,
            headers: {
              origin: body.origin,
              ...(preflight ? { 'access-control-request-method': body.method } : {}),
              ...(preflight && body.requestHeaders
                ? { 'access-control-request-headers': body.requestHeaders.join(', ') }
                : {}),
            },
          });

        const corsHeaders = Object.fromEntries(
          Object.entries(served.headers).filter(([name]) => name.startsWith('access-control-')),
        );
        const { vary: _vary, ...expected } = result.headers;
        expect(corsHeaders).toEqual(expected);
        expect(served.statusCode === 403).toBe(result.blocked);
      },
    );

    it('cannot be stalled, nor can the gateway, by a backtracking pattern stored around the API (issue 19)', async () => {
      // A row written by psql or an older version: validation never saw it.
      const client = new pg.Client({ connectionString: api.db.url });
      await client.connect();
      try {
        await client.query(
          `INSERT INTO origin_rules (id, tenant_id, kind, value)
           SELECT gen_random_uuid(), id, 'regex', $2 FROM tenants WHERE slug = $1`,
          [slug, '^https://(?:[(?<a>]|a)+\\.x$'],
        );
      } finally {
        await client.end();
      }
      // A backtracking engine takes about 0.3 s at 25 letters and doubles with each one more.
      const origin = `https://${'a'.repeat(63)}`;
      const started = performance.now();

      const result = await check({ origin, method: 'GET' });
      const served = await gateway
        .getHttpAdapter()
        .getInstance()
        .inject({ method: 'GET', url: `/t/${slug}/echo`, headers: { origin } });

      expect(result.allowed).toBe(false);
      expect(served.statusCode).toBe(403);
      expect(performance.now() - started).toBeLessThan(5000);
      // The rule still matches what it says, with the linear-time engine.
      expect(await check({ origin: 'https://aa.x', method: 'GET' })).toMatchObject({
        allowed: true,
        matchedRule: { kind: 'regex' },
      });
    });

    it('serves an origin added through the API within a second, without a restart', async () => {
      const preflight = () =>
        gateway
          .getHttpAdapter()
          .getInstance()
          .inject({
            method: 'OPTIONS',
            url: `/t/${slug}/echo`,
            headers: { origin: 'https://late.example.net', 'access-control-request-method': 'POST' },
          });
      expect((await preflight()).statusCode).toBe(403);

      await addOrigins(api, slug, 'https://late.example.net');

      const deadline = Date.now() + 1000;
      let status = (await preflight()).statusCode;
      while (status !== 204 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = (await preflight()).statusCode;
      }
      expect(status).toBe(204);
    });
  });
});
