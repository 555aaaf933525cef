import { addOrigins, createApiKey, createTenant } from '../../../../test/factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { versionDiffView, versionPageView, versionView } from './version.schema.js';
import { VersionsController } from './versions.controller.js';

describe(VersionsController.name, () => {
  let api: AdminTestApp;
  let slug: string;
  const base = () => `/api/v1/tenants/${slug}`;
  const versions = async (query = '') => {
    const response = await api.request({ method: 'GET', url: `${base()}/versions${query}` });
    expect(response.statusCode).toBe(200);
    return { ...versionPageView.parse(response.json()), etag: response.headers.etag };
  };
  const current = async () => (await versions()).items[0]!.version;
  const restore = (n: number | string, ifMatch?: string, token?: string) =>
    api.request({
      method: 'POST',
      url: `${base()}/versions/${n}/restore`,
      ...(ifMatch === undefined ? {} : { headers: { 'if-match': ifMatch } }),
      ...(token === undefined ? {} : { token }),
    });
  const originValues = async () =>
    (await api.request({ method: 'GET', url: `${base()}/origins` })).json().items.map((o: { value: string }) => o.value).sort();
  const policy = async () => (await api.request({ method: 'GET', url: `${base()}/policy` })).json();

  beforeAll(async () => {
    api = await startAdminTestApp();
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    ({ slug } = await createTenant(api));
  });

  describe('list', () => {
    it('starts at version 1 with the tenant, the default policy and no origins', async () => {
      const { items, etag } = await versions();

      expect(items).toEqual([{ version: 1, createdAt: expect.any(String), actor: 'root', summary: 'tenant created' }]);
      expect(etag).toBe('"1"');
      const first = versionView.parse((await api.request({ method: 'GET', url: `${base()}/versions/1` })).json());
      expect(first.origins).toEqual([]);
      expect(first.policy).toMatchObject({ allowedMethods: ['GET', 'HEAD', 'POST'], maxAge: 600, pathRules: [] });
    });

    it('records one version per committed change, newest first, with actor and summary', async () => {
      const key = await createApiKey(api, slug);
      await addOrigins(api, slug, 'https://a.example.com');
      await api.request({
        method: 'PUT',
        url: `${base()}/origins`,
        body: { origins: [{ origin: 'https://b.example.com' }, { origin: 'https://c.example.com' }] },
        token: key.secret,
      });
      const b = (await api.request({ method: 'GET', url: `${base()}/origins` }))
        .json()
        .items.find((o: { value: string }) => o.value === 'https://b.example.com');
      await api.request({ method: 'DELETE', url: `${base()}/origins/${b.id}` });
      await api.request({ method: 'PATCH', url: `${base()}/policy`, body: { maxAge: 3600, version: 1 } });
      const put = await api.request({ method: 'PUT', url: `${base()}/policy`, body: { ...(await policy()), mode: 'report-only' } });
      expect(put.statusCode).toBe(200);

      const { items, etag } = await versions();

      expect(items.map(({ version, actor, summary }) => [version, actor, summary])).toEqual([
        [6, 'root', 'policy changed: mode "enforce" → "report-only"'],
        [5, 'root', 'policy changed: maxAge 600 → 3600'],
        [4, 'root', 'removed origin https://b.example.com'],
        [3, `key:${key.prefix}`, 'replaced the origins: 2 added, 1 removed (2 in all)'],
        [2, 'root', 'added origin https://a.example.com'],
        [1, 'root', 'tenant created'],
      ]);
      expect(etag).toBe('"6"');
    });

    it('records nothing for a refused change', async () => {
      await addOrigins(api, slug, 'https://a.example.com');

      expect((await api.request({ method: 'POST', url: `${base()}/origins`, body: { origin: 'https://a.example.com' } })).statusCode).toBe(409);
      expect((await api.request({ method: 'PATCH', url: `${base()}/policy`, body: { maxAge: 5, version: 9 } })).statusCode).toBe(412);

      expect(await current()).toBe(2);
    });

    it('pages newest first with a cursor', async () => {
      for (const n of [1, 2, 3, 4]) await addOrigins(api, slug, `https://o${n}.example.com`);

      const first = await versions('?limit=2');
      const second = await versions(`?limit=2&cursor=${first.nextCursor}`);
      const third = await versions(`?limit=2&cursor=${second.nextCursor}`);

      expect([first, second, third].map((page) => page.items.map((item) => item.version))).toEqual([[5, 4], [3, 2], [1]]);
      expect(third.nextCursor).toBeNull();
    });

    it('refuses a cursor it never issued naming cursor', async () => {
      const response = await api.request({ method: 'GET', url: `${base()}/versions?cursor=nonsense` });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'cursor', reason: 'is not a cursor returned by this list' }]);
    });
  });

  describe('get', () => {
    it('returns the whole snapshot: policy fields, path rules and origins with expiry and note', async () => {
      const expiresAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
      await api.request({ method: 'POST', url: `${base()}/origins`, body: { origin: 'https://pr-1.example.com', expiresAt, note: 'PR #1' } });
      await api.request({
        method: 'PATCH',
        url: `${base()}/policy`,
        body: { pathRules: [{ path: '/public/**', origins: ['*'] }], version: 1 },
      });

      const response = await api.request({ method: 'GET', url: `${base()}/versions/3` });

      expect(response.statusCode).toBe(200);
      expect(versionView.parse(response.json())).toMatchObject({
        version: 3,
        policy: { pathRules: [{ path: '/public/**', origins: ['*'] }], mode: 'enforce' },
        origins: [{ kind: 'exact', value: 'https://pr-1.example.com', expiresAt, note: 'PR #1' }],
      });
    });

    it.each(['99', '0', 'one', '1.5'])('answers 404 for version %s', async (n) => {
      const response = await api.request({ method: 'GET', url: `${base()}/versions/${n}` });

      expect(response.statusCode).toBe(404);
      expect(response.json().detail).toBe(`tenant ${slug} has no version ${n}`);
    });
  });

  describe('diff', () => {
    it('describes going from m to n: fields changed, origins added, removed and changed', async () => {
      await addOrigins(api, slug, 'https://keep.example.com', 'https://gone.example.com');
      await api.request({
        method: 'PUT',
        url: `${base()}/origins`,
        body: { origins: [{ origin: 'https://keep.example.com', note: 'ticket 7' }, { origin: 'https://new.example.com' }] },
      });
      await api.request({ method: 'PATCH', url: `${base()}/policy`, body: { maxAge: 60, allowCredentials: true, version: 1 } });

      const response = await api.request({ method: 'GET', url: `${base()}/versions/5/diff?against=3` });

      expect(response.statusCode).toBe(200);
      const diff = versionDiffView.parse(response.json());
      expect(diff).toEqual({
        version: 5,
        against: 3,
        fields: {
          added: [],
          removed: [],
          changed: [
            { field: 'allowCredentials', before: false, after: true },
            { field: 'maxAge', before: 600, after: 60 },
          ],
        },
        origins: {
          added: [{ kind: 'exact', value: 'https://new.example.com', expiresAt: null, note: null }],
          removed: [{ kind: 'exact', value: 'https://gone.example.com', expiresAt: null, note: null }],
          changed: [
            {
              value: 'https://keep.example.com',
              before: { kind: 'exact', value: 'https://keep.example.com', expiresAt: null, note: null },
              after: { kind: 'exact', value: 'https://keep.example.com', expiresAt: null, note: 'ticket 7' },
            },
          ],
        },
      });
      const backwards = versionDiffView.parse((await api.request({ method: 'GET', url: `${base()}/versions/3/diff?against=5` })).json());
      expect(backwards.origins.added.map((o) => o.value)).toEqual(['https://gone.example.com']);
      expect(backwards.fields.changed).toContainEqual({ field: 'maxAge', before: 60, after: 600 });
    });

    it('answers 404 for an unknown version on either side, and 400 without against', async () => {
      expect((await api.request({ method: 'GET', url: `${base()}/versions/7/diff?against=1` })).statusCode).toBe(404);
      expect((await api.request({ method: 'GET', url: `${base()}/versions/1/diff?against=7` })).statusCode).toBe(404);
      const missing = await api.request({ method: 'GET', url: `${base()}/versions/1/diff` });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().invalidFields).toEqual([{ field: 'against', reason: 'is required: the version to compare with' }]);
    });
  });

  describe('restore', () => {
    it('brings back exactly the earlier origins and policy after a bulk replace, as a new audited version', async () => {
      await addOrigins(api, slug, 'https://a.example.com', 'https://b.example.com');
      const note = 'keep until launch';
      await api.request({
        method: 'PUT',
        url: `${base()}/origins`,
        body: {
          origins: [
            { origin: 'https://a.example.com', note },
            { origin: 'https://b.example.com', note },
          ],
        },
      });
      await api.request({ method: 'PATCH', url: `${base()}/policy`, body: { allowedHeaders: ['X-Before'], version: 1 } });
      const good = await current();
      const goodPolicy = await policy();
      await api.request({ method: 'PUT', url: `${base()}/origins`, body: { origins: [{ origin: 'https://wrong.example.com' }] } });
      await api.request({ method: 'PATCH', url: `${base()}/policy`, body: { allowedHeaders: ['X-Wrong'], maxAge: 1, version: 2 } });

      const response = await restore(good, `"${good + 2}"`);

      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe(`"${good + 3}"`);
      expect(versionView.parse(response.json())).toMatchObject({ version: good + 3, summary: `restored version ${good}` });
      expect(await originValues()).toEqual(['https://a.example.com', 'https://b.example.com']);
      const origins = (await api.request({ method: 'GET', url: `${base()}/origins` })).json().items;
      expect(origins.map((o: { note: string }) => o.note)).toEqual([note, note]);
      const { version: _before, updatedAt: _a, ...expected } = goodPolicy;
      const { version: after, updatedAt: _b, ...restored } = await policy();
      expect(restored).toEqual(expected);
      expect(after).toBe(4);
      const diff = (await api.request({ method: 'GET', url: `${base()}/versions/${good + 3}/diff?against=${good}` })).json();
      expect(diff.fields.changed).toEqual([]);
      expect(diff.origins).toEqual({ added: [], removed: [], changed: [] });
      const audit = (await api.request({ method: 'GET', url: `${base()}/audit` })).json().items[0];
      expect(audit).toMatchObject({
        action: 'version.restored',
        actor: 'root',
        before: { version: good + 2 },
        after: { version: good + 3, restoredFrom: good },
      });
    });

    it('answers 412 for a stale If-Match and changes nothing', async () => {
      await addOrigins(api, slug, 'https://a.example.com');

      const response = await restore(1, '"1"');

      expect(response.statusCode).toBe(412);
      expect(response.json().detail).toBe('the configuration is at version 2; look at its history again before restoring');
      expect(await originValues()).toEqual(['https://a.example.com']);
      expect(await current()).toBe(2);
    });

    it('lets one of two concurrent restores win; the other gets 412', async () => {
      await addOrigins(api, slug, 'https://a.example.com');

      const statuses = (await Promise.all([restore(1, '"2"'), restore(1, '"2"')])).map((r) => r.statusCode).sort();

      expect(statuses).toEqual([200, 412]);
      expect((await versions()).items.map((item) => item.version)).toEqual([3, 2, 1]);
      expect(await originValues()).toEqual([]);
    });

    it('needs If-Match (400 naming it), after the version is known to exist (404 first)', async () => {
      expect((await restore(5)).statusCode).toBe(404);
      const missing = await restore(1);
      expect(missing.statusCode).toBe(400);
      expect(missing.json().invalidFields).toEqual([
        { field: 'If-Match', reason: 'is required: send the current version as If-Match: "<version>"' },
      ]);
      const malformed = await restore(1, 'version 1');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().invalidFields[0].field).toBe('If-Match');
    });
  });

  describe('tenant keys', () => {
    it('may read, diff and restore their own tenant’s versions', async () => {
      const key = await createApiKey(api, slug);
      await addOrigins(api, slug, 'https://a.example.com');
      const as = (method: 'GET' | 'POST', url: string, headers?: Record<string, string>) =>
        api.request({ method, url: `${base()}${url}`, token: key.secret, ...(headers ? { headers } : {}) });

      expect((await as('GET', '/versions')).statusCode).toBe(200);
      expect((await as('GET', '/versions/1')).statusCode).toBe(200);
      expect((await as('GET', '/versions/2/diff?against=1')).statusCode).toBe(200);
      expect((await as('POST', '/versions/1/restore', { 'if-match': '"2"' })).statusCode).toBe(200);
      expect((await versions()).items[0]).toMatchObject({ version: 3, actor: `key:${key.prefix}` });
    });

    it.each([
      ['GET', '/versions'],
      ['GET', '/versions/1'],
      ['GET', '/versions/1/diff?against=1'],
      ['POST', '/versions/1/restore'],
    ] as const)('may not %s %s of another tenant (403, and nothing restored)', async (method, url) => {
      const other = await createTenant(api);
      await addOrigins(api, other.slug, 'https://theirs.example.com');
      const key = await createApiKey(api, slug);

      const response = await api.request({
        method,
        url: `/api/v1/tenants/${other.slug}${url}`,
        token: key.secret,
        headers: { 'if-match': '"2"' },
      });

      expect(response.statusCode).toBe(403);
      const theirs = await api.request({ method: 'GET', url: `/api/v1/tenants/${other.slug}/versions` });
      expect(theirs.json().items).toHaveLength(2);
    });

    it('get 403 for a tenant that does not exist, as for one that does', async () => {
      const key = await createApiKey(api, slug);

      const response = await api.request({ method: 'GET', url: '/api/v1/tenants/nobody-here/versions', token: key.secret });

      expect(response.statusCode).toBe(403);
    });
  });

  it('answers 404 for an unknown tenant on every route', async () => {
    for (const [method, url] of [
      ['GET', '/versions'],
      ['GET', '/versions/1'],
      ['GET', '/versions/1/diff?against=x'],
      ['POST', '/versions/1/restore'],
    ] as const) {
      expect((await api.request({ method, url: `/api/v1/tenants/nobody-here${url}` })).statusCode).toBe(404);
    }
  });
});

describe('version retention', () => {
  let api: AdminTestApp;

  beforeAll(async () => {
    api = await startAdminTestApp({ VERSIONS_KEPT_PER_TENANT: '3' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('keeps the newest VERSIONS_KEPT_PER_TENANT versions of each tenant', async () => {
    const { slug } = await createTenant(api);
    const other = await createTenant(api);
    for (const n of [1, 2, 3, 4]) await addOrigins(api, slug, `https://o${n}.example.com`);

    const items = (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/versions` })).json().items;

    expect(items.map((item: { version: number }) => item.version)).toEqual([5, 4, 3]);
    expect((await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/versions/2` })).statusCode).toBe(404);
    expect((await api.request({ method: 'GET', url: `/api/v1/tenants/${other.slug}/versions/1` })).statusCode).toBe(200);
  });
});
