import { addOrigins, createApiKey, createTenant } from '../../../../test/factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { auditEventPageView } from './audit-event.js';
import { AuditController } from './audit.controller.js';

describe(AuditController.name, () => {
  let api: AdminTestApp;

  beforeAll(async () => {
    api = await startAdminTestApp();
  });
  afterAll(async () => {
    await api.close();
  });

  describe('list', () => {
    it('records who changed what, newest first, with before and after', async () => {
      const { slug } = await createTenant(api, { name: 'Before' });
      await api.request({ method: 'PATCH', url: `/api/v1/tenants/${slug}`, body: { name: 'After' } });
      await addOrigins(api, slug, 'https://a.example.com');
      const origin = (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/origins` })).json().items[0];
      await api.request({ method: 'DELETE', url: `/api/v1/tenants/${slug}/origins/${origin.id}` });
      const key = await createApiKey(api, slug);

      const response = await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/audit` });

      expect(response.statusCode).toBe(200);
      const { items } = auditEventPageView.parse(response.json());
      expect(items.map((e) => e.action)).toEqual([
        'api-key.created',
        'origin.removed',
        'origin.added',
        'tenant.updated',
        'tenant.created',
      ]);
      expect(items.every((e) => e.actor === 'root' && e.tenantSlug === slug)).toBe(true);
      const [keyCreated, removed, added, updated, created] = items;
      expect(created).toMatchObject({ before: null, after: { slug, name: 'Before' } });
      expect(updated).toMatchObject({ before: { name: 'Before' }, after: { name: 'After' } });
      expect(added).toMatchObject({ before: null, after: { kind: 'exact', value: 'https://a.example.com' } });
      expect(removed).toMatchObject({ before: { id: origin.id }, after: null });
      expect(keyCreated).toMatchObject({ before: null, after: { prefix: key.prefix } });
      // The secret part of `cmk_<prefix>_<secret>` (itself base64url, so it may hold `_`).
      const secretPart = key.secret.slice(`cmk_${key.prefix}_`.length);
      expect(secretPart).toHaveLength(43);
      expect(JSON.stringify(keyCreated)).not.toContain(secretPart);
      expect(Date.parse(items[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(items[4]!.createdAt));
    });

    it('pages newest first with a cursor', async () => {
      const { slug } = await createTenant(api);
      for (const n of [1, 2, 3, 4]) await addOrigins(api, slug, `https://o${n}.example.com`);

      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${cursor}`;
        const page = auditEventPageView.parse(
          (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/audit?limit=2${query}` })).json(),
        );
        pages.push(page.items.map((e) => (e.after as { value?: string }).value ?? e.action));
        cursor = page.nextCursor;
      } while (cursor !== null);

      expect(pages).toEqual([
        ['https://o4.example.com', 'https://o3.example.com'],
        ['https://o2.example.com', 'https://o1.example.com'],
        ['tenant.created'],
      ]);
    });

    it('shows only the tenant’s own events', async () => {
      const mine = await createTenant(api);
      const other = await createTenant(api);
      await addOrigins(api, other.slug, 'https://other.example.com');

      const { items } = (await api.request({ method: 'GET', url: `/api/v1/tenants/${mine.slug}/audit` })).json();

      expect(items.map((e: { action: string }) => e.action)).toEqual(['tenant.created']);
    });

    it('answers 404 for an unknown tenant', async () => {
      expect((await api.request({ method: 'GET', url: '/api/v1/tenants/nobody-here/audit' })).statusCode).toBe(404);
    });
  });
});
