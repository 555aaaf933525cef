import { addOrigins, createTenant } from '../../../../test/factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { checkResultView } from '../check/check.schema.js';
import { policyView } from './policy.schema.js';

const BASE = {
  allowedMethods: ['GET', 'HEAD', 'POST'],
  allowedHeaders: ['Content-Type'],
  exposedHeaders: [],
  allowCredentials: false,
  maxAge: 600,
  allowPrivateNetwork: false,
  mode: 'enforce',
};

describe('policy path rules and preflight options', () => {
  let api: AdminTestApp;
  let slug: string;
  const url = () => `/api/v1/tenants/${slug}/policy`;
  const put = (body: object, version = 1) => api.request({ method: 'PUT', url: url(), body: { ...BASE, ...body, version } });

  beforeAll(async () => {
    api = await startAdminTestApp();
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    ({ slug } = await createTenant(api));
  });

  describe('pathRules', () => {
    it('stores the rules in order, normalised, and GET returns what can be PUT back', async () => {
      const response = await put({
        pathRules: [
          { path: '/public/', origins: ['*'], allowedMethods: ['get'] },
          { path: '/v1/*/files/**', origins: ['HTTPS://App.Example.com:443', { pattern: '^https://[a-z]+\\.example\\.org$', type: 'regex' }] },
          { path: '/webhooks/**', disabled: true },
        ],
      });

      expect(response.statusCode).toBe(200);
      const stored = policyView.parse(response.json());
      expect(stored.pathRules).toEqual([
        { path: '/public', origins: ['*'], allowedMethods: ['GET'] },
        {
          path: '/v1/*/files/**',
          origins: ['https://app.example.com', { pattern: '^https://[a-z]+\\.example\\.org$', type: 'regex' }],
        },
        { path: '/webhooks/**', disabled: true },
      ]);
      const read: object = (await api.request({ method: 'GET', url: url() })).json();
      const again = await api.request({ method: 'PUT', url: url(), body: read });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ version: 3, pathRules: stored.pathRules });
    });

    it('keeps the rules when PATCH changes another field, and replaces them when PATCH sends them', async () => {
      await put({ pathRules: [{ path: '/a', maxAge: 5 }] });

      const patched = await api.request({ method: 'PATCH', url: url(), body: { mode: 'report-only', version: 2 } });
      const replaced = await api.request({ method: 'PATCH', url: url(), body: { pathRules: [], version: 3 } });

      expect(patched.json().pathRules).toEqual([{ path: '/a', maxAge: 5 }]);
      expect(replaced.json().pathRules).toEqual([]);
    });

    it.each([
      [{ pathRules: [{ path: '/a/**/b' }] }, 'pathRules[0].path', '** is allowed only as the last segment'],
      [{ pathRules: [{ path: 'a' }] }, 'pathRules[0].path', 'must start with /'],
      [{ pathRules: [{ path: '/a' }, { path: '/b', origins: ['https://ok.example', 'ftp://x.example'] }] }, 'pathRules[1].origins[1]', undefined],
      [{ pathRules: [{ path: '/a', colour: 'red' }] }, 'pathRules[0].colour', 'is not a known field'],
      [{ pathRules: [{ path: '/a', maxAge: -1 }] }, 'pathRules[0].maxAge', 'must be at least 0'],
      [{ pathRules: [{ path: '/a', allowedMethods: ['TRACE'] }] }, 'pathRules[0].allowedMethods[0]', 'method TRACE is forbidden by the Fetch standard'],
      [{ pathRules: [{ path: '/a' }, { path: '/a/' }] }, 'pathRules[1].path', 'is the same path as pathRules[0] (/a): it would never match'],
      [{ pathRules: Array.from({ length: 51 }, (_, i) => ({ path: `/p${i}` })) }, 'pathRules', 'must have at most 50 entries'],
      [{ allowCredentials: true, pathRules: [{ path: '/a' }, { path: '/b', origins: ['https://ok.example', '*'] }] }, 'pathRules[1].origins[1]', 'origin * cannot be combined with allowCredentials'],
      [{ pathRules: [{ path: '/a', origins: ['*'], allowCredentials: true }] }, 'pathRules[0].origins[0]', 'origin * cannot be combined with allowCredentials'],
      [{ exposedHeaders: ['*'], pathRules: [{ path: '/a', allowCredentials: true }] }, 'pathRules[0].allowCredentials', undefined],
    ])('refuses %j naming %s', async (body, field, reason) => {
      const response = await put(body);

      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const invalid: { field: string; reason: string }[] = response.json().invalidFields;
      expect(invalid.map((f) => f.field)).toEqual([field]);
      if (reason !== undefined) expect(invalid[0]!.reason).toBe(reason);
      expect((await api.request({ method: 'GET', url: url() })).json()).toMatchObject({ version: 1, pathRules: [] });
    });

    it('refuses a credentialed rule that inherits the tenant’s origin *', async () => {
      await addOrigins(api, slug, '*');

      const response = await put({ pathRules: [{ path: '/a', allowCredentials: true }] });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([
        { field: 'pathRules[0].allowCredentials', reason: expect.stringContaining('origin * cannot be combined with allowCredentials') },
      ]);
    });
  });

  it('refuses origin * on the tenant while a path rule that keeps its origins allows credentials', async () => {
    await put({ pathRules: [{ path: '/a', allowCredentials: true }] });

    const response = await api.request({ method: 'POST', url: `/api/v1/tenants/${slug}/origins`, body: { origin: '*' } });

    expect(response.statusCode).toBe(400);
    expect(response.json().invalidFields).toEqual([{ field: 'origin', reason: expect.stringContaining('allowCredentials') }]);
  });

  it('refuses a credentialed rule that inherits the tenant’s null origin or a regex beyond one registrable domain', async () => {
    await addOrigins(api, slug, 'null');
    await api.request({
      method: 'POST',
      url: `/api/v1/tenants/${slug}/origins`,
      body: { pattern: '^https://[a-z]+\\.[a-z]+$', type: 'regex' },
    });

    const response = await put({ pathRules: [{ path: '/a', allowCredentials: true }] });

    expect(response.statusCode).toBe(400);
    expect(response.json().invalidFields).toEqual([
      { field: 'pathRules[0].allowCredentials', reason: expect.stringContaining("the policy's origin null") },
      { field: 'pathRules[0].allowCredentials', reason: expect.stringContaining("the policy's origin ^https://[a-z]+\\.[a-z]+$") },
    ]);
  });

  it('refuses origin null and broad regexes on the tenant while a path rule that keeps its origins allows credentials', async () => {
    await put({ pathRules: [{ path: '/a', allowCredentials: true }] });
    const add = (body: object) => api.request({ method: 'POST', url: `/api/v1/tenants/${slug}/origins`, body });

    const nullOrigin = await add({ origin: 'null' });
    const broad = await add({ pattern: '^https://[a-z]+\\.[a-z]+$', type: 'regex' });
    const bulk = await api.request({ method: 'PUT', url: `/api/v1/tenants/${slug}/origins`, body: { origins: [{ origin: 'https://ok.example.com' }, { origin: 'null' }] } });

    expect(nullOrigin.statusCode).toBe(400);
    expect(nullOrigin.json().invalidFields).toEqual([{ field: 'origin', reason: expect.stringContaining('credentials') }]);
    expect(broad.statusCode).toBe(400);
    expect(broad.json().invalidFields).toEqual([{ field: 'pattern', reason: expect.stringContaining('credentials') }]);
    expect(bulk.statusCode).toBe(400);
    expect(bulk.json().invalidFields).toEqual([{ field: 'origins[1]', reason: expect.stringContaining('credentials') }]);
  });

  describe('preflightStatus, timingAllowOrigin and warnings', () => {
    it('defaults to 204, no Timing-Allow-Origin and no warnings', async () => {
      expect((await api.request({ method: 'GET', url: url() })).json()).toMatchObject({
        preflightStatus: 204,
        timingAllowOrigin: false,
        warnings: [],
      });
    });

    it('stores 200 and Timing-Allow-Origin', async () => {
      const response = await put({ preflightStatus: 200, timingAllowOrigin: true });

      expect(response.json()).toMatchObject({ preflightStatus: 200, timingAllowOrigin: true });
    });

    it.each([201, 404, '204'])('refuses preflightStatus %j', async (preflightStatus) => {
      const response = await put({ preflightStatus });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'preflightStatus', reason: 'must be 204 or 200' }]);
    });

    it('accepts a maxAge above 7200 with a warning on read and on check', async () => {
      const response = await put({ maxAge: 86_400, pathRules: [{ path: '/a', maxAge: 7201 }] });
      const checked = await api.request({
        method: 'POST',
        url: `/api/v1/tenants/${slug}/check`,
        body: { origin: 'https://a.example', method: 'GET' },
      });

      expect(response.statusCode).toBe(200);
      expect(response.json().warnings).toEqual([
        expect.stringMatching(/^maxAge 86400 is above 7200: Chromium/),
        expect.stringMatching(/^pathRules\[0\]\.maxAge 7201 is above 7200/),
      ]);
      expect((await api.request({ method: 'GET', url: url() })).json().warnings).toHaveLength(2);
      expect(checkResultView.parse(checked.json()).warnings).toEqual(response.json().warnings);
    });
  });

  describe('check with a path', () => {
    const check = async (body: object) => {
      const response = await api.request({ method: 'POST', url: `/api/v1/tenants/${slug}/check`, body });
      expect(response.statusCode).toBe(200);
      return checkResultView.parse(response.json());
    };

    beforeEach(async () => {
      await addOrigins(api, slug, 'https://app.example.com');
      await put({
        timingAllowOrigin: true,
        pathRules: [
          { path: '/webhooks/**', disabled: true },
          { path: '/public/**', origins: ['*'] },
        ],
      });
    });

    it('reports the rule that applied, 0-based, and decides with its fields', async () => {
      const result = await check({ origin: 'https://any.example', method: 'GET', path: '/public/a/../logo.png' });

      expect(result).toMatchObject({
        allowed: true,
        pathRule: { index: 1, path: '/public/**' },
        headers: { 'access-control-allow-origin': '*', 'timing-allow-origin': 'https://any.example' },
      });
    });

    it('says when a rule disables CORS processing', async () => {
      const result = await check({ origin: 'https://any.example', method: 'DELETE', path: '/webhooks/stripe' });

      expect(result).toMatchObject({ allowed: false, blocked: false, pathRule: { index: 0, path: '/webhooks/**' }, headers: {} });
      expect(result.reasons).toEqual([
        'a path rule disables CORS processing on this path',
        expect.stringContaining('the upstream answers CORS itself'),
      ]);
    });

    it('decides with the policy where no rule matches, or without a path', async () => {
      for (const body of [{ path: '/orders' }, {}]) {
        const result = await check({ origin: 'https://any.example', method: 'GET', ...body });
        expect(result).toMatchObject({ allowed: false, refusal: 'origin_not_listed' });
        expect(result.pathRule).toBeUndefined();
      }
    });

    it('refuses a path that does not start with /', async () => {
      const response = await api.request({
        method: 'POST',
        url: `/api/v1/tenants/${slug}/check`,
        body: { origin: 'https://any.example', method: 'GET', path: 'public' },
      });

      expect(response.json().invalidFields).toEqual([{ field: 'path', reason: 'must start with /' }]);
    });
  });
});
