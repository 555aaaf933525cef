import { addOrigins, createTenant } from '../../../../test/factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { PoliciesController } from './policies.controller.js';
import { policyView } from './policy.schema.js';

const FULL_POLICY = {
  allowedMethods: ['get', 'PUT', 'DELETE', 'PUT', 'PROPFIND'],
  allowedHeaders: ['Content-Type', 'Authorization', 'content-type'],
  exposedHeaders: ['X-Request-Id'],
  allowCredentials: true,
  maxAge: 7200,
  allowPrivateNetwork: true,
  mode: 'report-only',
};

describe(PoliciesController.name, () => {
  let api: AdminTestApp;
  let slug: string;
  const url = () => `/api/v1/tenants/${slug}/policy`;

  beforeAll(async () => {
    api = await startAdminTestApp();
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    ({ slug } = await createTenant(api));
  });

  describe('get', () => {
    it('returns the default policy with its version as ETag', async () => {
      const response = await api.request({ method: 'GET', url: url() });

      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      expect(policyView.parse(response.json())).toMatchObject({
        allowedMethods: ['GET', 'HEAD', 'POST'],
        allowedHeaders: ['Content-Type'],
        exposedHeaders: [],
        allowCredentials: false,
        maxAge: 600,
        allowPrivateNetwork: false,
        mode: 'enforce',
        version: 1,
      });
    });

    it('answers 404 for an unknown tenant', async () => {
      expect((await api.request({ method: 'GET', url: '/api/v1/tenants/nobody-here/policy' })).statusCode).toBe(404);
    });
  });

  describe('replace', () => {
    it('stores every field normalised and increments the version', async () => {
      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: FULL_POLICY,
        headers: { 'if-match': '"1"' },
      });

      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"2"');
      expect(policyView.parse(response.json())).toMatchObject({
        allowedMethods: ['GET', 'PUT', 'DELETE', 'PROPFIND'],
        allowedHeaders: ['Content-Type', 'Authorization'],
        allowCredentials: true,
        maxAge: 7200,
        mode: 'report-only',
        version: 2,
      });
      expect((await api.request({ method: 'GET', url: url() })).json()).toMatchObject({
        version: 2,
        mode: 'report-only',
      });
    });

    it('takes back what GET returned, read-only fields ignored and version as the concurrency token', async () => {
      const read: object = (await api.request({ method: 'GET', url: url() })).json();

      const edited = await api.request({ method: 'PUT', url: url(), body: { ...read, maxAge: 60 } });
      const stale = await api.request({ method: 'PUT', url: url(), body: { ...read, maxAge: 30 } });

      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ maxAge: 60, version: 2 });
      expect(stale.statusCode).toBe(412);
      const patched = await api.request({
        method: 'PATCH',
        url: url(),
        body: { ...(edited.json() as object), mode: 'report-only' },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ maxAge: 60, mode: 'report-only', version: 3 });
    });

    it('takes the version from the body', async () => {
      const response = await api.request({ method: 'PUT', url: url(), body: { ...FULL_POLICY, version: 1 } });

      expect(response.statusCode).toBe(200);
      expect(response.json().version).toBe(2);
    });

    it('refuses a stale version with 412 and changes nothing', async () => {
      await api.request({ method: 'PUT', url: url(), body: { ...FULL_POLICY, version: 1 } });

      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: { ...FULL_POLICY, maxAge: 5 },
        headers: { 'if-match': '"1"' },
      });

      expect(response.statusCode).toBe(412);
      expect(response.json()).toMatchObject({ code: 'version_mismatch', detail: expect.stringContaining('version 2') });
      expect((await api.request({ method: 'GET', url: url() })).json().maxAge).toBe(7200);
    });

    it('lets exactly one of two concurrent writers based on the same version win', async () => {
      const write = (maxAge: number) =>
        api.request({ method: 'PUT', url: url(), body: { ...FULL_POLICY, maxAge, version: 1 } });

      const statuses = (await Promise.all([write(10), write(20), write(30)])).map((r) => r.statusCode).sort();

      expect(statuses).toEqual([200, 412, 412]);
      expect((await api.request({ method: 'GET', url: url() })).json().version).toBe(2);
    });

    it('requires a version, in If-Match or the body', async () => {
      const response = await api.request({ method: 'PUT', url: url(), body: FULL_POLICY });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([
        { field: 'version', reason: expect.stringContaining('If-Match') },
      ]);
    });

    it('accepts If-Match: * as any version', async () => {
      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: FULL_POLICY,
        headers: { 'if-match': '*' },
      });

      expect(response.statusCode).toBe(200);
    });

    it('never matches a weak entity tag', async () => {
      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: FULL_POLICY,
        headers: { 'if-match': 'W/"1"' },
      });

      expect(response.statusCode).toBe(412);
    });

    it('refuses a body version that contradicts If-Match', async () => {
      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: { ...FULL_POLICY, version: 2 },
        headers: { 'if-match': '"1"' },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields[0].field).toBe('version');
    });

    it('refuses a partial body: PUT replaces every field', async () => {
      const { maxAge: _maxAge, ...partial } = FULL_POLICY;

      const response = await api.request({ method: 'PUT', url: url(), body: { ...partial, version: 1 } });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'maxAge', reason: 'is required' }]);
    });

    it.each([
      [{ maxAge: -1 }, 'maxAge', 'must be at least 0'],
      [{ maxAge: 86_401 }, 'maxAge', 'must be at most 86400 (one day)'],
      [{ maxAge: 1.5 }, 'maxAge', 'must be a whole number of seconds'],
      [{ maxAge: '600' }, 'maxAge', 'must be a number'],
      [{ allowedMethods: ['GET', 'TRACE'] }, 'allowedMethods[1]', 'method TRACE is forbidden by the Fetch standard'],
      [
        { allowedMethods: ['GET', 'BAD METHOD'] },
        'allowedMethods[1]',
        'is not a valid HTTP method (an RFC 9110 token)',
      ],
      [{ allowedHeaders: ['X-Ok', 'X Bad'] }, 'allowedHeaders[1]', 'is not a valid header name (an RFC 9110 token)'],
      [{ exposedHeaders: 'X-Request-Id' }, 'exposedHeaders', 'must be a list'],
      [{ mode: 'audit' }, 'mode', 'must be "enforce" or "report-only"'],
      [{ allowCredentials: 'yes' }, 'allowCredentials', 'must be true or false'],
      [{ origins: [] }, 'origins', 'is not a known field'],
      [{ exposedHeaders: ['*'] }, 'exposedHeaders', 'exposedHeaders * cannot be combined with allowCredentials'],
    ])('refuses %j naming %s', async (override, field, reason) => {
      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: { ...FULL_POLICY, ...override, version: 1 },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field, reason }]);
    });
  });

  describe('patch', () => {
    it('changes only the given fields', async () => {
      const response = await api.request({
        method: 'PATCH',
        url: url(),
        body: { maxAge: 60 },
        headers: { 'if-match': '"1"' },
      });

      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"2"');
      expect(response.json()).toMatchObject({ maxAge: 60, allowedMethods: ['GET', 'HEAD', 'POST'], version: 2 });
    });

    it('refuses a stale version with 412', async () => {
      await api.request({ method: 'PATCH', url: url(), body: { maxAge: 60, version: 1 } });

      const response = await api.request({ method: 'PATCH', url: url(), body: { maxAge: 70, version: 1 } });

      expect(response.statusCode).toBe(412);
    });

    it('refuses a patch that changes nothing', async () => {
      const response = await api.request({ method: 'PATCH', url: url(), body: { version: 1 } });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([
        { field: 'body', reason: 'must change at least one policy field' },
      ]);
    });

    it('refuses credentials while origin * is allowed', async () => {
      await addOrigins(api, slug, '*');

      const response = await api.request({ method: 'PATCH', url: url(), body: { allowCredentials: true, version: 1 } });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([
        { field: 'allowCredentials', reason: expect.stringContaining('origin * is allowed') },
      ]);
      expect((await api.request({ method: 'GET', url: url() })).json()).toMatchObject({
        allowCredentials: false,
        version: 1,
      });
    });

    it.each([
      [{ origin: 'null' }, 'null'],
      [{ pattern: '^https://[a-z]+\\.[a-z]+$', type: 'regex' }, '^https://[a-z]+\\.[a-z]+$'],
      [{ pattern: '^https://[^c].*$', type: 'regex' }, '^https://[^c].*$'],
    ])('refuses credentials while %j is allowed, naming the rule', async (body, value) => {
      expect((await api.request({ method: 'POST', url: `/api/v1/tenants/${slug}/origins`, body })).statusCode).toBe(201);

      const patch = await api.request({ method: 'PATCH', url: url(), body: { allowCredentials: true, version: 1 } });
      const current = (await api.request({ method: 'GET', url: url() })).json();
      const { version: _version, updatedAt: _updatedAt, ...fields } = current;
      const put = await api.request({
        method: 'PUT',
        url: url(),
        body: { ...fields, allowCredentials: true, version: 1 },
      });

      for (const response of [patch, put]) {
        expect(response.statusCode).toBe(400);
        expect(response.json().invalidFields).toEqual([
          { field: 'allowCredentials', reason: expect.stringContaining(`origin rule ${value} is allowed`) },
        ]);
      }
      expect(current).toMatchObject({ allowCredentials: false, version: 1 });
    });

    it('allows credentials with a regex confined to one registrable domain', async () => {
      const body = { pattern: '^https://[a-z0-9-]+\\.example\\.co\\.uk$', type: 'regex' };
      await api.request({ method: 'POST', url: `/api/v1/tenants/${slug}/origins`, body });

      const response = await api.request({ method: 'PATCH', url: url(), body: { allowCredentials: true, version: 1 } });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ allowCredentials: true, version: 2 });
    });

    it('records the change in the audit trail with before and after', async () => {
      await api.request({ method: 'PATCH', url: url(), body: { mode: 'report-only', version: 1 } });

      const audit = await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/audit?limit=1` });

      expect(audit.json().items[0]).toMatchObject({
        actor: 'root',
        action: 'policy.updated',
        before: { mode: 'enforce', version: 1 },
        after: { mode: 'report-only', version: 2 },
      });
    });
  });
});
