import { tenantByHost, tenantByPath } from '#dynamic-cors';
import { postgresPolicySource, type PostgresPolicySource } from '#dynamic-cors/postgres';
import { type AdminTestApp, startAdminTestApp } from '../support/admin-test-app.js';
import { type EmbeddingApp, PLATFORMS, startEmbeddingApp } from '../support/embedding-app.js';
import { within } from '../support/gateway-harness.js';
import { createTestDatabase } from '../support/test-database.js';

const APP = 'https://app.shop.test';
const quiet = { info() {}, warn() {}, error() {} };

// The library's PostgreSQL source in a plain NestJS app, fed by a real admin app's database.
describe.each(PLATFORMS)('postgresPolicySource in a NestJS app on %s', (platform) => {
  let admin: AdminTestApp;
  let source: PostgresPolicySource;
  let app: EmbeddingApp;

  beforeAll(async () => {
    admin = await startAdminTestApp();
    const created = await admin.request({ method: 'POST', url: '/api/v1/tenants', body: { slug: 'shop', name: 'Shop', hostnames: ['api.shop.test'] } });
    expect(created.statusCode).toBe(201);
    source = postgresPolicySource({ databaseUrl: admin.db.url, heartbeatIntervalMs: 500, logger: quiet });
    app = await startEmbeddingApp(platform, { source, tenant: tenantByPath() });
  });
  afterAll(async () => {
    await app.close();
    await admin.close();
  });

  it('is ready once it listens for change notices', () => {
    expect(source.isReady).toBe(true);
  });

  it('serves an origin added through the admin API within a second, and refuses it once removed', async () => {
    const allowed = async () => (await app.request('GET', '/t/shop/echo', { origin: APP })).headers['access-control-allow-origin'] === APP;
    expect(await allowed()).toBe(false);

    const added = await admin.request({ method: 'POST', url: '/api/v1/tenants/shop/origins', body: { origin: APP } });
    expect(added.statusCode).toBe(201);
    expect(await within(1000, allowed)).toBeLessThan(1000);

    const preflight = await app.request('OPTIONS', '/t/shop/echo', { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(APP);

    const removed = await admin.request({ method: 'DELETE', url: `/api/v1/tenants/shop/origins/${(added.json() as { id: string }).id}` });
    expect(removed.statusCode).toBe(204);
    expect(await within(1000, async () => (await app.request('GET', '/t/shop/echo', { origin: APP })).status === 403)).toBeLessThan(1000);
  });

  it('answers 404 for a slug that is no tenant, and a tenant created meanwhile once its unknown entry is gone', async () => {
    expect((await app.request('GET', '/t/newco/echo', { origin: APP })).status).toBe(404);
    expect((await admin.request({ method: 'POST', url: '/api/v1/tenants', body: { slug: 'newco', name: 'New' } })).statusCode).toBe(201);
    // The creation's change notice forgets the remembered "no such tenant" at once.
    expect(await within(1000, async () => (await app.request('GET', '/t/newco/echo')).status === 200)).toBeLessThan(1000);
  });

  it('finds tenants by their registered hostnames, and leaves other hosts alone', async () => {
    const byHost = await startEmbeddingApp(platform, { source: postgresPolicySource({ databaseUrl: admin.db.url, logger: quiet }), tenant: tenantByHost() });
    try {
      await admin.request({ method: 'POST', url: '/api/v1/tenants/shop/origins', body: { origin: 'https://other.shop.test' } });
      const tenant = await byHost.request('GET', '/anything', { host: 'api.shop.test', origin: 'https://other.shop.test' });
      expect(tenant.headers['access-control-allow-origin']).toBe('https://other.shop.test');
      const own = await byHost.request('GET', '/health', { host: 'nobody.test', origin: 'https://other.shop.test' });
      expect(own.status).toBe(200);
      expect(own.headers.vary).toBeUndefined();
    } finally {
      await byHost.close();
    }
  });
});

describe('postgresPolicySource on a database without the corsmesh tables', () => {
  it('starts (the admin app may migrate it later), says why, and answers 503 meanwhile', async () => {
    const empty = await createTestDatabase({ migrated: false });
    const warnings: string[] = [];
    const logger = { ...quiet, warn: (_fields: object, message: string) => void warnings.push(message) };
    const app = await startEmbeddingApp('express', { source: postgresPolicySource({ databaseUrl: empty.url, logger }), tenant: tenantByPath() });
    try {
      expect(warnings).toEqual([expect.stringMatching(/no corsmesh tables .*503 until the corsmesh admin app has migrated it/)]);
      const answer = await app.request('GET', '/t/shop/echo', { origin: APP });
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('5');
    } finally {
      await app.close();
      await empty.drop();
    }
  });
});

describe.each(PLATFORMS)('the layer’s own logger on %s', (platform) => {
  it('reports a policy it cannot read to the logger the app gives, not only with a 503', async () => {
    const empty = await createTestDatabase({ migrated: false });
    const errors: { fields: object; message: string }[] = [];
    const logger = { error: (fields: object, message: string) => void errors.push({ fields, message }) };
    const app = await startEmbeddingApp(platform, { source: postgresPolicySource({ databaseUrl: empty.url, logger: quiet }), tenant: tenantByPath(), logger });
    try {
      expect((await app.request('GET', '/t/shop/echo', { origin: APP })).status).toBe(503);
      expect(errors).toEqual([{ fields: expect.objectContaining({ err: expect.any(Error) }), message: 'tenant policy unavailable' }]);
    } finally {
      await app.close();
      await empty.drop();
    }
  });
});
