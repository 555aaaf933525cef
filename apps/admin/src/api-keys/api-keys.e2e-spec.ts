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

    describe('keys created with a key', () => {
      /** A key of `slug` created with the bearer token `token`. */
      const createWith = async (token: string, name: string) => {
        const response = await api.request({ method: 'POST', url: url(), body: { name }, token });
        expect(response.statusCode).toBe(201);
        return createdApiKeyView.parse(response.json());
      };
      const works = async (key: { secret: string }, index: number) =>
        (
          await api.request({
            method: 'GET',
            url: `/api/v1/tenants/${slug}`,
            token: key.secret,
            remoteAddress: `192.0.2.${100 + index}`,
          })
        ).statusCode === 200;

      it('records the key each key was created with, none for the root token', async () => {
        const parent = await createApiKey(api, slug, 'parent');
        const child = await createWith(parent.secret, 'child');

        const { items } = apiKeyListView.parse((await api.request({ method: 'GET', url: url() })).json());

        expect(items.map((key) => [key.name, key.createdByKeyId])).toEqual([
          ['parent', null],
          ['child', parent.id],
        ]);
        expect(child.createdByKeyId).toBe(parent.id);
      });

      it('revokes every key created with a revoked key, transitively, and nothing else', async () => {
        const leaked = await createApiKey(api, slug, 'leaked');
        const child = await createWith(leaked.secret, 'child');
        const grandchild = await createWith(child.secret, 'grandchild');
        const sibling = await createApiKey(api, slug, 'sibling');
        const fromSibling = await createWith(sibling.secret, 'from sibling');

        const response = await api.request({ method: 'DELETE', url: `${url()}/${leaked.id}` });

        expect(response.statusCode).toBe(204);
        const all = [leaked, child, grandchild, sibling, fromSibling];
        expect(await Promise.all(all.map(works))).toEqual([false, false, false, true, true]);
        const { items } = apiKeyListView.parse((await api.request({ method: 'GET', url: url() })).json());
        expect(items.filter((key) => key.revokedAt !== null).map((key) => key.name)).toEqual([
          'leaked',
          'child',
          'grandchild',
        ]);
        const audit = (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/audit` })).json().items as {
          action: string;
          actor: string;
          after: { name: string; revokedAt: string | null };
        }[];
        const revoked = audit.filter((event) => event.action === 'api-key.revoked');
        expect(revoked.map((event) => [event.actor, event.after.name]).sort()).toEqual([
          ['root', 'child'],
          ['root', 'grandchild'],
          ['root', 'leaked'],
        ]);
      });

      it('revokes what a key created when the key revokes itself; revoking it again changes nothing', async () => {
        const leaked = await createApiKey(api, slug, 'leaked');
        const child = await createWith(leaked.secret, 'child');

        const self = await api.request({ method: 'DELETE', url: `${url()}/${leaked.id}`, token: leaked.secret });
        const again = await api.request({ method: 'DELETE', url: `${url()}/${leaked.id}` });

        expect([self.statusCode, again.statusCode]).toEqual([204, 204]);
        expect(await Promise.all([leaked, child].map(works))).toEqual([false, false]);
        const audit = (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/audit` })).json().items;
        expect(audit.filter((e: { action: string }) => e.action === 'api-key.revoked')).toHaveLength(2);
      });

      it('deletes a tenant whose keys created keys, with all of them', async () => {
        const parent = await createApiKey(api, slug, 'parent');
        await createWith(parent.secret, 'child');

        expect((await api.request({ method: 'DELETE', url: `/api/v1/tenants/${slug}` })).statusCode).toBe(204);
        expect((await api.request({ method: 'GET', url: url() })).statusCode).toBe(404);
      });

      it('leaves the creator working when a key it created is revoked', async () => {
        const parent = await createApiKey(api, slug, 'parent');
        const child = await createWith(parent.secret, 'child');
        const grandchild = await createWith(child.secret, 'grandchild');

        await api.request({ method: 'DELETE', url: `${url()}/${child.id}`, token: parent.secret });

        expect(await Promise.all([parent, child, grandchild].map(works))).toEqual([true, false, false]);
      });
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
