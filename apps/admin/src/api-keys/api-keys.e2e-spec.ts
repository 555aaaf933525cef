import { createHash } from 'node:crypto';
import pg from 'pg';
import { createApiKey, createTenant } from '../../../../test/factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { apiKeyListView, createdApiKeyView } from './api-key.schema.js';
import { ApiKeysController } from './api-keys.controller.js';

describe(ApiKeysController.name, () => {
  let api: AdminTestApp;
  let slug: string;
  const url = () => `/api/v1/tenants/${slug}/api-keys`;

  beforeAll(async () => {
    api = await startAdminTestApp();
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    ({ slug } = await createTenant(api));
  });

  describe('create', () => {
    it('returns the secret once and stores only its SHA-256', async () => {
      const response = await api.request({ method: 'POST', url: url(), body: { name: ' CI deploy ' } });

      expect(response.statusCode).toBe(201);
      expect(response.headers['cache-control']).toBe('no-store');
      const key = createdApiKeyView.parse(response.json());
      expect(key).toMatchObject({ name: 'CI deploy', revokedAt: null });
      expect(key.secret).toMatch(new RegExp(`^cmk_${key.prefix}_[A-Za-z0-9_-]{43}$`));
      const client = new pg.Client({ connectionString: api.db.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT * FROM api_keys WHERE id = $1', [key.id]);
        const secret = key.secret.split('_').slice(2).join('_');
        expect(rows[0]).toMatchObject({
          scope: 'tenant',
          prefix: key.prefix,
          secret_hash: createHash('sha256').update(secret).digest('hex'),
        });
        expect(JSON.stringify(rows[0])).not.toContain(secret);
      } finally {
        await client.end();
      }
    });

    it('works as a bearer token for its tenant', async () => {
      const key = await createApiKey(api, slug);

      const response = await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/policy`, token: key.secret });

      expect(response.statusCode).toBe(200);
    });

    it.each([
      [{}, 'name', 'is required'],
      [{ name: '  ' }, 'name', 'must not be empty'],
      [{ name: 'x'.repeat(101) }, 'name', 'must be at most 100 characters'],
      [{ name: 'ok', tenant: 'other' }, 'tenant', 'is not a known field'],
    ])('refuses %j naming %s', async (body, field, reason) => {
      const response = await api.request({ method: 'POST', url: url(), body });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field, reason }]);
    });

    it('answers 404 for an unknown tenant', async () => {
      expect(
        (await api.request({ method: 'POST', url: '/api/v1/tenants/nobody-here/api-keys', body: { name: 'k' } }))
          .statusCode,
      ).toBe(404);
    });
  });

  describe('list', () => {
    it('lists keys without secrets or hashes', async () => {
      await createApiKey(api, slug, 'first');
      await createApiKey(api, slug, 'second');

      const response = await api.request({ method: 'GET', url: url() });

      expect(response.statusCode).toBe(200);
      const { items } = apiKeyListView.parse(response.json());
      expect(items.map((k) => k.name)).toEqual(['first', 'second']);
      expect(response.body).not.toMatch(/secret|hash|cmk_/i);
    });
  });

  describe('revoke', () => {
    it('revokes the key, keeps it listed with revokedAt and audits it once', async () => {
      const key = await createApiKey(api, slug);

      const first = await api.request({ method: 'DELETE', url: `${url()}/${key.id}` });
      const again = await api.request({ method: 'DELETE', url: `${url()}/${key.id}` });

      expect(first.statusCode).toBe(204);
      expect(again.statusCode).toBe(204);
      expect((await api.request({ method: 'GET', url: url() })).json().items[0].revokedAt).toEqual(expect.any(String));
      const audit = (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/audit` })).json().items;
      expect(audit.filter((e: { action: string }) => e.action === 'api-key.revoked')).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain(key.secret);
    });

    it('answers 404 for a key of another tenant, leaving it working', async () => {
      const other = await createTenant(api);
      const theirs = await createApiKey(api, other.slug);

      const response = await api.request({ method: 'DELETE', url: `${url()}/${theirs.id}` });

      expect(response.statusCode).toBe(404);
      expect(
        (await api.request({ method: 'GET', url: `/api/v1/tenants/${other.slug}`, token: theirs.secret })).statusCode,
      ).toBe(200);
    });
  });
});
