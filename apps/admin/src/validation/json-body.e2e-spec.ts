import { createTenant } from '../../../../test/factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { JsonBodyGuard } from './json-body.guard.js';
import { MAX_JSON_DEPTH } from './json-depth.js';

describe(JsonBodyGuard.name, () => {
  let api: AdminTestApp;
  let slug: string;

  beforeAll(async () => {
    api = await startAdminTestApp();
    ({ slug } = await createTenant(api));
  });
  afterAll(async () => {
    await api.close();
  });

  describe('nesting', () => {
    const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

    it.each([
      ['POST', '/api/v1/tenants', deepObject(5_000)],
      ['POST', '/api/v1/tenants', `{"slug":"deep","name":${deepArray(20_000)}}`],
      ['PUT', '/api/v1/tenants/:slug/origins', `{"origins":${deepArray(5_000)}}`],
      ['PATCH', '/api/v1/tenants/:slug/policy', deepArray(5_000)],
      ['POST', '/api/v1/tenants/:slug/check', deepObject(5_000)],
      ['POST', '/api/v1/tenants/:slug/api-keys', deepObject(MAX_JSON_DEPTH + 1)],
    ] as const)('refuses a body nested too deep on %s %s with 400 naming the body', async (method, url, body) => {
      const response = await api.request({
        method,
        url: url.replace(':slug', slug),
        body,
        headers: { 'content-type': 'application/json' },
      });

      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().invalidFields).toEqual([
        { field: 'body', reason: `must not nest deeper than ${MAX_JSON_DEPTH} levels` },
      ]);
    });

    it('validates a body at the deepest nesting allowed as usual', async () => {
      const response = await api.request({
        method: 'POST',
        url: `/api/v1/tenants/${slug}/api-keys`,
        body: deepObject(MAX_JSON_DEPTH),
        headers: { 'content-type': 'application/json' },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toContainEqual({ field: 'a', reason: 'is not a known field' });
    });
  });
});
