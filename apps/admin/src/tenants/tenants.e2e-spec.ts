import pg from 'pg';
import { addOrigins, createApiKey, createTenant } from '../../../../test/factories/admin-api.factory.js';
import { buildTenantInput } from '../../../../test/factories/tenant.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { tenantPageView, tenantView } from './tenant.js';
import { TenantsController } from './tenants.controller.js';

describe(TenantsController.name, () => {
  let api: AdminTestApp;

  beforeAll(async () => {
    api = await startAdminTestApp();
  });
  afterAll(async () => {
    await api.close();
  });

  describe('create', () => {
    it('creates a tenant with its hostnames and the default policy', async () => {
      const response = await api.request({
        method: 'POST',
        url: '/api/v1/tenants',
        body: {
          slug: 'acme',
          name: ' Acme ',
          hostnames: ['API.Acme.Example'],
          upstreamUrl: 'https://backend.acme.example',
        },
      });

      expect(response.statusCode).toBe(201);
      const tenant = tenantView.parse(response.json());
      expect(tenant).toMatchObject({
        slug: 'acme',
        name: 'Acme',
        hostnames: ['api.acme.example'],
        upstreamUrl: 'https://backend.acme.example',
      });
      const policy = await api.request({ method: 'GET', url: '/api/v1/tenants/acme/policy' });
      expect(policy.json()).toMatchObject({
        allowedMethods: ['GET', 'HEAD', 'POST'],
        allowedHeaders: ['Content-Type'],
        maxAge: 600,
        version: 1,
      });
    });

    it('refuses a duplicate slug with 409', async () => {
      const { slug } = await createTenant(api);

      const response = await api.request({ method: 'POST', url: '/api/v1/tenants', body: buildTenantInput({ slug }) });

      expect(response.statusCode).toBe(409);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().detail).toBe(`a tenant with slug ${slug} already exists`);
    });

    it('refuses a hostname of another tenant with 409 naming it', async () => {
      await createTenant(api, { hostnames: ['shared.example.com'] });

      const response = await api.request({
        method: 'POST',
        url: '/api/v1/tenants',
        body: buildTenantInput({ hostnames: ['mine.example.com', 'SHARED.example.com'] }),
      });

      expect(response.statusCode).toBe(409);
      expect(response.json().detail).toContain('shared.example.com');
    });

    it.each([
      [{ slug: 'Acme' }, 'slug', /lower-case DNS label/],
      [{ slug: '-acme' }, 'slug', /lower-case DNS label/],
      [{ slug: 'a'.repeat(64) }, 'slug', /1 to 63/],
      [{ name: '' }, 'name', /must not be empty/],
      [{ name: undefined }, 'name', /is required/],
      [{ hostnames: ['api.example.com:8443'] }, 'hostnames[0]', /port/],
      [{ hostnames: ['ok.example.com', 'https://x.example.com'] }, 'hostnames[1]', /not a URL/],
      [{ hostnames: ['a.example.com', 'A.example.com'] }, 'hostnames[1]', /repeats hostnames\[0\]/],
      [{ hostnames: ['bad_host.example.com'] }, 'hostnames[0]', /DNS name/],
      [{ upstreamUrl: 'ftp://files.example.com' }, 'upstreamUrl', /http or https/],
      [{ upstreamUrl: '/relative' }, 'upstreamUrl', /absolute URL/],
      [{ upstreamUrl: 'https://user:pw@backend.example.com' }, 'upstreamUrl', /credentials/],
      [{ extra: true }, 'extra', /not a known field/],
    ])('refuses %j naming %s', async (override, field, reason) => {
      const body = { ...buildTenantInput(), ...override };

      const response = await api.request({ method: 'POST', url: '/api/v1/tenants', body });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field, reason: expect.stringMatching(reason) }]);
    });

    it('refuses the NUL character, which PostgreSQL cannot store, naming the field', async () => {
      const response = await api.request({
        method: 'POST',
        url: '/api/v1/tenants',
        body: buildTenantInput({ name: 'nul\u0000inside' }),
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([
        { field: 'name', reason: 'must not contain the NUL character (U+0000)' },
      ]);
    });

    it('refuses a body that is not a JSON object', async () => {
      const response = await api.request({ method: 'POST', url: '/api/v1/tenants', body: [1, 2] });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'body', reason: 'must be a JSON object' }]);
    });

    it('refuses a body over ADMIN_BODY_LIMIT_BYTES with 413', async () => {
      const response = await api.request({
        method: 'POST',
        url: '/api/v1/tenants',
        body: { ...buildTenantInput(), name: 'x'.repeat(300_000) },
      });

      expect(response.statusCode).toBe(413);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('refuses a body that is not JSON with 415', async () => {
      const response = await api.request({
        method: 'POST',
        url: '/api/v1/tenants',
        body: 'slug=acme',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });

      expect(response.statusCode).toBe(415);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('refuses malformed JSON with 400', async () => {
      const response = await api.request({
        method: 'POST',
        url: '/api/v1/tenants',
        body: '{"slug":',
        headers: { 'content-type': 'application/json' },
      });

      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });
  });

  describe('list', () => {
    it('pages through tenants by slug with a cursor', async () => {
      for (const slug of ['page-a', 'page-b', 'page-c']) await createTenant(api, { slug, name: `Paged ${slug}` });

      const first = await api.request({ method: 'GET', url: '/api/v1/tenants?search=paged&limit=2' });
      const firstPage = tenantPageView.parse(first.json());
      const second = await api.request({
        method: 'GET',
        url: `/api/v1/tenants?search=paged&limit=2&cursor=${firstPage.nextCursor}`,
      });

      expect(firstPage.items.map((t) => t.slug)).toEqual(['page-a', 'page-b']);
      expect(second.json()).toMatchObject({ items: [{ slug: 'page-c' }], nextCursor: null });
    });

    it('searches slug and name case-insensitively', async () => {
      await createTenant(api, { slug: 'zebra-co', name: 'Striped Horses' });

      const response = await api.request({ method: 'GET', url: '/api/v1/tenants?search=STRIPED' });

      expect(response.json().items.map((t: { slug: string }) => t.slug)).toEqual(['zebra-co']);
    });

    it('searches for %, _ and \\ literally, not as LIKE wildcards', async () => {
      await createTenant(api, { slug: 'percent-co', name: '100% Cotton' });
      await createTenant(api, { slug: 'under-co', name: 'snake_case' });
      await createTenant(api, { slug: 'slash-co', name: 'back\\slash' });
      const found = async (search: string) =>
        (await api.request({ method: 'GET', url: `/api/v1/tenants?search=${encodeURIComponent(search)}` }))
          .json()
          .items.map((t: { slug: string }) => t.slug);

      expect(await found('%')).toEqual(['percent-co']);
      expect(await found('e_c')).toEqual(['under-co']);
      expect(await found('k\\s')).toEqual(['slash-co']);
    });

    it('caps limit at 200', async () => {
      const response = await api.request({ method: 'GET', url: '/api/v1/tenants?limit=100000' });

      expect(response.statusCode).toBe(200);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
    ])('refuses ?%s naming %s', async (query, field) => {
      const response = await api.request({ method: 'GET', url: `/api/v1/tenants?${query}` });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields[0].field).toBe(field);
    });
  });

  describe('get', () => {
    it('returns one tenant', async () => {
      const { slug } = await createTenant(api, { hostnames: ['get.example.com'] });

      const response = await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}` });

      expect(response.statusCode).toBe(200);
      expect(tenantView.parse(response.json())).toMatchObject({
        slug,
        hostnames: ['get.example.com'],
        upstreamUrl: null,
      });
    });

    it('answers 400, not 500, for a slug with the NUL character', async () => {
      const response = await api.request({ method: 'GET', url: '/api/v1/tenants/a%00b' });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'validation_failed',
        detail: 'text must not contain the NUL character (U+0000)',
      });
    });

    it('answers 404 for an unknown tenant', async () => {
      const response = await api.request({ method: 'GET', url: '/api/v1/tenants/nobody-here' });

      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({
        status: 404,
        code: 'not_found',
        detail: 'no tenant with slug nobody-here',
      });
    });
  });

  describe('update', () => {
    it('changes name, hostnames, upstream and slug', async () => {
      const { slug } = await createTenant(api, { hostnames: ['old.example.com', 'kept.example.com'] });

      const response = await api.request({
        method: 'PATCH',
        url: `/api/v1/tenants/${slug}`,
        body: {
          slug: `${slug}-renamed`,
          name: 'Renamed',
          hostnames: ['kept.example.com', 'new.example.com'],
          upstreamUrl: 'http://10.0.0.1:8080',
        },
      });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        slug: `${slug}-renamed`,
        name: 'Renamed',
        hostnames: ['kept.example.com', 'new.example.com'],
        upstreamUrl: 'http://10.0.0.1:8080',
      });
      expect((await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}` })).statusCode).toBe(404);
    });

    it('clears the upstream with null', async () => {
      const { slug } = await createTenant(api, { upstreamUrl: 'https://up.example.com' });

      const response = await api.request({
        method: 'PATCH',
        url: `/api/v1/tenants/${slug}`,
        body: { upstreamUrl: null },
      });

      expect(response.json().upstreamUrl).toBeNull();
    });

    it('refuses an empty patch', async () => {
      const { slug } = await createTenant(api);

      const response = await api.request({ method: 'PATCH', url: `/api/v1/tenants/${slug}`, body: {} });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'body', reason: 'must change at least one field' }]);
    });

    it('refuses a slug or hostname another tenant has with 409', async () => {
      const other = await createTenant(api, { hostnames: ['taken.example.com'] });
      const { slug } = await createTenant(api);

      const slugClash = await api.request({
        method: 'PATCH',
        url: `/api/v1/tenants/${slug}`,
        body: { slug: other.slug },
      });
      const hostClash = await api.request({
        method: 'PATCH',
        url: `/api/v1/tenants/${slug}`,
        body: { hostnames: ['taken.example.com'] },
      });

      expect(slugClash.statusCode).toBe(409);
      expect(hostClash.statusCode).toBe(409);
      expect(hostClash.json().detail).toBe('hostname taken.example.com already belongs to another tenant');
    });
  });

  describe('delete', () => {
    it('deletes the tenant with its origins and keys, keeping its audit trail', async () => {
      const { id, slug } = await createTenant(api, { hostnames: ['gone.example.com'] });
      await addOrigins(api, slug, 'https://app.example.com');
      await createApiKey(api, slug);

      const response = await api.request({ method: 'DELETE', url: `/api/v1/tenants/${slug}` });

      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      const client = new pg.Client({ connectionString: api.db.url });
      await client.connect();
      try {
        const count = async (table: string) =>
          (await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [id])).rows[0].n;
        expect(await count('origin_rules')).toBe(0);
        expect(await count('api_keys')).toBe(0);
        expect(await count('tenant_hostnames')).toBe(0);
        expect(await count('cors_policies')).toBe(0);
        const audit = await client.query(
          'SELECT tenant_id, action FROM audit_events WHERE tenant_slug = $1 ORDER BY id',
          [slug],
        );
        expect(audit.rows.map((r) => r.action)).toEqual([
          'tenant.created',
          'origin.added',
          'api-key.created',
          'tenant.deleted',
        ]);
        expect(audit.rows.every((r) => r.tenant_id === null)).toBe(true);
      } finally {
        await client.end();
      }
      expect((await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}` })).statusCode).toBe(404);
    });

    it('answers 404 for an unknown tenant', async () => {
      expect((await api.request({ method: 'DELETE', url: '/api/v1/tenants/nobody-here' })).statusCode).toBe(404);
    });
  });
});
