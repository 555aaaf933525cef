import { type AdminRequest, type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { TenantExistsGuard } from './tenant-exists.guard.js';

const UNKNOWN = '/api/v1/tenants/nobody-here';

describe(TenantExistsGuard.name, () => {
  let api: AdminTestApp;

  beforeAll(async () => {
    api = await startAdminTestApp();
  });
  afterAll(async () => {
    await api.close();
  });

  // Each body or query would fail validation: the unknown tenant must be reported first.
  it.each<Pick<AdminRequest, 'method' | 'url' | 'body'>>([
    { method: 'GET', url: UNKNOWN },
    { method: 'PATCH', url: UNKNOWN, body: { hostnames: 'not a list' } },
    { method: 'DELETE', url: UNKNOWN },
    { method: 'GET', url: `${UNKNOWN}/policy` },
    { method: 'PUT', url: `${UNKNOWN}/policy`, body: { mode: 'enforce' } },
    { method: 'PATCH', url: `${UNKNOWN}/policy`, body: { maxAge: -1 } },
    { method: 'GET', url: `${UNKNOWN}/origins` },
    { method: 'POST', url: `${UNKNOWN}/origins`, body: {} },
    { method: 'PUT', url: `${UNKNOWN}/origins`, body: { origins: 'x' } },
    { method: 'DELETE', url: `${UNKNOWN}/origins/not-an-id` },
    { method: 'GET', url: `${UNKNOWN}/api-keys` },
    { method: 'POST', url: `${UNKNOWN}/api-keys`, body: { name: 5 } },
    { method: 'DELETE', url: `${UNKNOWN}/api-keys/not-an-id` },
    { method: 'POST', url: `${UNKNOWN}/check`, body: { method: 'GET' } },
    { method: 'GET', url: `${UNKNOWN}/audit?limit=-5` },
  ])('answers 404 to $method $url before validating anything', async (request) => {
    const response = await api.request(request);

    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().detail).toContain('nobody-here');
  });
});
