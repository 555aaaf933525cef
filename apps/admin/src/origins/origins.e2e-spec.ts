import { POLICY_CHANGED_CHANNEL } from '#dynamic-cors/postgres';
import pg from 'pg';
import { addOrigins, createTenant } from '../../../../test/factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { originRuleListView, originRuleView } from './origin.schema.js';
import { OriginsController } from './origins.controller.js';
import { REFUSED_ORIGIN_RULES, REFUSED_WITH_CREDENTIALS } from '../../../../test/fixtures/refused-origin-rules.js';

describe(OriginsController.name, () => {
  let api: AdminTestApp;
  let slug: string;
  const url = () => `/api/v1/tenants/${slug}/origins`;
  const values = async () =>
    (await api.request({ method: 'GET', url: url() }))
      .json()
      .items.map((o: { value: string }) => o.value)
      .sort();

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
    it('lists the normalised rules', async () => {
      await addOrigins(api, slug, 'https://b.example.com', 'https://*.example.org');

      const response = await api.request({ method: 'GET', url: url() });

      expect(response.statusCode).toBe(200);
      expect(originRuleListView.parse(response.json()).items.map((o) => [o.kind, o.value])).toEqual([
        ['exact', 'https://b.example.com'],
        ['wildcard', 'https://*.example.org'],
      ]);
    });
  });

  describe('add', () => {
    it.each([
      ['HTTPS://App.Example.COM:443/', 'exact', 'https://app.example.com'],
      ['http://localhost:8080', 'exact', 'http://localhost:8080'],
      ['https://bücher.example', 'exact', 'https://xn--bcher-kva.example'],
      ['https://*.Example.com', 'wildcard', 'https://*.example.com'],
      ['*', 'any', '*'],
      ['null', 'exact', 'null'],
    ])('stores %s as the %s rule %s', async (origin, kind, value) => {
      const response = await api.request({ method: 'POST', url: url(), body: { origin } });

      expect(response.statusCode).toBe(201);
      expect(originRuleView.parse(response.json())).toMatchObject({ kind, value });
    });

    it('stores a regex rule', async () => {
      const pattern = '^https://pr-[0-9]+\\.preview\\.example\\.com$';

      const response = await api.request({ method: 'POST', url: url(), body: { pattern, type: 'regex' } });

      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ kind: 'regex', value: pattern });
    });

    it('refuses a duplicate (after normalisation) with 409', async () => {
      await addOrigins(api, slug, 'https://app.example.com');

      const response = await api.request({
        method: 'POST',
        url: url(),
        body: { origin: 'https://APP.example.com:443' },
      });

      expect(response.statusCode).toBe(409);
      expect(response.json().detail).toBe('origin rule https://app.example.com is already allowed');
    });

    it.each(REFUSED_ORIGIN_RULES.map(([body, field]) => [body, field]))('refuses %j naming %s with a reason', async (body, field) => {
      const response = await api.request({ method: 'POST', url: url(), body });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field, reason: expect.any(String) }]);
      expect(response.json().invalidFields[0].reason.length).toBeGreaterThan(10);
    });

    it.each([
      [{}, 'origin', 'is required, or a pattern with type "regex"'],
      [{ origin: 5 }, 'origin', 'must be a string'],
      [{ pattern: '^https://a\\.example\\.com$' }, 'type', 'must be "regex" when a pattern is sent'],
      [{ pattern: '^https://a\\.example\\.com$', type: 'glob' }, 'type', 'must be "regex"'],
      [
        { origin: 'https://a.example.com', pattern: '^x$', type: 'regex' },
        'pattern',
        'send either origin or pattern, not both',
      ],
    ])('refuses the shape %j naming %s', async (body, field, reason) => {
      const response = await api.request({ method: 'POST', url: url(), body });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field, reason }]);
    });

    it('refuses a catastrophically backtracking pattern, promptly', async () => {
      const started = performance.now();

      const response = await api.request({ method: 'POST', url: url(), body: { pattern: '^(a+)+$', type: 'regex' } });

      // Generous bound: the analysis is capped at a fraction of a second; a backtracking
      // engine fed this pattern would hang instead.
      expect(performance.now() - started).toBeLessThan(1500);
      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([
        { field: 'pattern', reason: expect.stringMatching(/backtrack|match/) },
      ]);
    });

    it('refuses * while credentials are allowed', async () => {
      await api.request({
        method: 'PATCH',
        url: `/api/v1/tenants/${slug}/policy`,
        body: { allowCredentials: true, version: 1 },
      });

      const response = await api.request({ method: 'POST', url: url(), body: { origin: '*' } });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([
        { field: 'origin', reason: expect.stringContaining('allowCredentials') },
      ]);
    });

    it('answers 404 for an unknown tenant', async () => {
      const response = await api.request({
        method: 'POST',
        url: '/api/v1/tenants/nobody-here/origins',
        body: { origin: 'https://a.example.com' },
      });

      expect(response.statusCode).toBe(404);
    });
  });

  describe('public suffixes', () => {
    it.each([
      ['https://*.com', 'com'],
      ['https://*.co.uk', 'co.uk'],
      ['https://*.github.io', 'github.io'],
    ])('refuses the wildcard %s naming the public suffix %s', async (origin, suffix) => {
      const response = await api.request({ method: 'POST', url: url(), body: { origin } });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([
        { field: 'origin', reason: expect.stringContaining(`public suffix ${suffix}:`) },
      ]);
    });

    it.each([
      // Issue 19: group syntax inside a character class hid the backtracking from the analysis.
      ['^https://(?:[(?<a>]|a)+\\.x$', 'pattern may backtrack catastrophically'],
      ['^https://[a-z0-9-]+\\.github\\.io$', 'pattern covers the public suffix github.io:'],
    ])('refuses the pattern %s: %s', async (pattern, reason) => {
      const response = await api.request({ method: 'POST', url: url(), body: { pattern, type: 'regex' } });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'pattern', reason: expect.stringContaining(reason) }]);
    });

    it.each(['https://*.example.co.uk', 'https://*.alice.github.io'])(
      'accepts the wildcard %s: one registrable domain',
      async (origin) => {
        const response = await api.request({ method: 'POST', url: url(), body: { origin } });

        expect(response.statusCode).toBe(201);
      },
    );
  });

  describe('with credentials', () => {
    const allowCredentials = () =>
      api.request({ method: 'PATCH', url: `/api/v1/tenants/${slug}/policy`, body: { allowCredentials: true, version: 1 } });

    it.each(REFUSED_WITH_CREDENTIALS.map(([body, field]) => [body, field]))(
      'accepts %j without credentials',
      async (body) => {
        const response = await api.request({ method: 'POST', url: url(), body });

        expect(response.statusCode).toBe(201);
      },
    );

    it.each(REFUSED_WITH_CREDENTIALS.map(([body, field]) => [body, field]))(
      'refuses %j while credentials are allowed, naming %s and the rule',
      async (body, field) => {
        expect((await allowCredentials()).statusCode).toBe(200);

        const response = await api.request({ method: 'POST', url: url(), body });

        expect(response.statusCode).toBe(400);
        expect(response.json().invalidFields).toEqual([{ field, reason: expect.stringContaining('allowCredentials') }]);
        expect(await values()).toEqual([]);
      },
    );

    it.each(['^https://[^c].*$', '^https://.*\\.com$', '^https://[a-z]+\\.[a-z]+$'])(
      'refuses the reflect-any-origin pattern %s (issue 19)',
      async (pattern) => {
        await allowCredentials();

        const response = await api.request({ method: 'POST', url: url(), body: { pattern, type: 'regex' } });

        expect(response.statusCode).toBe(400);
        expect(response.json().invalidFields).toEqual([{ field: 'pattern', reason: expect.any(String) }]);
      },
    );

    it.each([
      '^https://[a-z0-9-]+\\.example\\.com$',
      '^https://(?:app|admin)\\.example\\.co\\.uk(?::[0-9]+)?$',
      '^https://(?:[a-z]+\\.)?example\\.com$',
      '^http://localhost:[0-9]+$',
    ])('accepts %s, confined to one registrable domain', async (pattern) => {
      await allowCredentials();

      const response = await api.request({ method: 'POST', url: url(), body: { pattern, type: 'regex' } });

      expect(response.statusCode).toBe(201);
    });

    it('refuses a whole list with such rules, naming each index, and changes nothing', async () => {
      await addOrigins(api, slug, 'https://before.example.com');
      await allowCredentials();

      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: {
          origins: [
            { origin: 'https://ok.example.com' },
            { origin: 'null' },
            { pattern: '^https://[a-z0-9-]+\\.example\\.com$', type: 'regex' },
            { pattern: '^https://[a-z]+\\.[a-z]+$', type: 'regex' },
          ],
        },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([
        { field: 'origins[1]', reason: expect.stringContaining('origin null cannot be combined with allowCredentials') },
        { field: 'origins[3]', reason: expect.stringContaining('^https://[a-z]+\\.[a-z]+$') },
      ]);
      expect(await values()).toEqual(['https://before.example.com']);
    });
  });

  describe('replace', () => {
    it('replaces the whole list, keeping rules that stay', async () => {
      await addOrigins(api, slug, 'https://keep.example.com', 'https://drop.example.com');
      const kept = (await api.request({ method: 'GET', url: url() })).json().items[0];

      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: {
          origins: [
            { origin: 'https://KEEP.example.com' },
            { origin: 'https://*.new.example.com' },
            { pattern: '^https://[a-z]+\\.example\\.net$', type: 'regex' },
          ],
        },
      });

      expect(response.statusCode).toBe(200);
      const items = originRuleListView.parse(response.json()).items;
      expect(items.map((o) => o.value).sort()).toEqual([
        '^https://[a-z]+\\.example\\.net$',
        'https://*.new.example.com',
        'https://keep.example.com',
      ]);
      expect(items.find((o) => o.value === 'https://keep.example.com')?.id).toBe(kept.id);
    });

    it('empties the list', async () => {
      await addOrigins(api, slug, 'https://a.example.com');

      const response = await api.request({ method: 'PUT', url: url(), body: { origins: [] } });

      expect(response.json()).toEqual({ items: [] });
    });

    it('changes nothing when one rule is invalid, naming each bad index', async () => {
      await addOrigins(api, slug, 'https://before.example.com');

      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: {
          origins: [
            { origin: 'https://ok.example.com' },
            { origin: 'https://bad.example.com/path' },
            { origin: 'https://OK.example.com' },
            { pattern: 'x' },
          ],
        },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields.map((f: { field: string }) => f.field)).toEqual(['origins[3].type']);
      const semantic = await api.request({
        method: 'PUT',
        url: url(),
        body: {
          origins: [
            { origin: 'https://ok.example.com' },
            { origin: 'https://bad.example.com/path' },
            { origin: 'https://OK.example.com' },
          ],
        },
      });
      expect(semantic.statusCode).toBe(400);
      expect(semantic.json().invalidFields).toEqual([
        { field: 'origins[1]', reason: expect.any(String) },
        { field: 'origins[2]', reason: 'is the same rule as origins[0] once normalised: https://ok.example.com' },
      ]);
      expect(await values()).toEqual(['https://before.example.com']);
    });

    it('refuses * while credentials are allowed, naming its index', async () => {
      await api.request({
        method: 'PATCH',
        url: `/api/v1/tenants/${slug}/policy`,
        body: { allowCredentials: true, version: 1 },
      });

      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: { origins: [{ origin: 'https://a.example.com' }, { origin: '*' }] },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([
        { field: 'origins[1]', reason: expect.stringContaining('allowCredentials') },
      ]);
    });

    it('refuses a body without origins', async () => {
      const response = await api.request({ method: 'PUT', url: url(), body: { origin: 'https://a.example.com' } });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([
        { field: 'origins', reason: 'is required' },
        { field: 'origin', reason: 'is not a known field' },
      ]);
    });

    it('records one audit event and sends one notification', async () => {
      await addOrigins(api, slug, 'https://one.example.com', 'https://two.example.com');
      const listener = new pg.Client({ connectionString: api.db.url });
      await listener.connect();
      const notifications: string[] = [];
      listener.on('notification', (message) => notifications.push(message.payload ?? ''));
      await listener.query(`LISTEN ${POLICY_CHANGED_CHANNEL}`);
      try {
        const response = await api.request({
          method: 'PUT',
          url: url(),
          body: {
            origins: ['https://three.example.com', 'https://four.example.com', 'https://*.five.example.com'].map(
              (origin) => ({ origin }),
            ),
          },
        });
        expect(response.statusCode).toBe(200);
        // Notifications arrive after the commit, which the response already waited for; the
        // pause only lets a wrongly duplicated one show up.
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        await listener.end();
      }

      expect(notifications).toHaveLength(1);
      expect(JSON.parse(notifications[0]!)).toMatchObject({ tenantId: expect.any(String) });
      const audit = (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/audit` })).json().items;
      expect(audit.filter((e: { action: string }) => e.action === 'origins.replaced')).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        action: 'origins.replaced',
        before: [{ value: 'https://one.example.com' }, { value: 'https://two.example.com' }],
      });
      expect(audit[0].after).toHaveLength(3);
    });
  });

  describe('remove', () => {
    it('removes one rule', async () => {
      await addOrigins(api, slug, 'https://a.example.com', 'https://b.example.com');
      const [first] = (await api.request({ method: 'GET', url: url() })).json().items;

      const response = await api.request({ method: 'DELETE', url: `${url()}/${first.id}` });

      expect(response.statusCode).toBe(204);
      expect((await values()).length).toBe(1);
    });

    it('answers 404 for a rule of another tenant, leaving it alone', async () => {
      const other = await createTenant(api);
      await addOrigins(api, other.slug, 'https://other.example.com');
      const [theirs] = (await api.request({ method: 'GET', url: `/api/v1/tenants/${other.slug}/origins` })).json()
        .items;

      const response = await api.request({ method: 'DELETE', url: `${url()}/${theirs.id}` });

      expect(response.statusCode).toBe(404);
      expect(
        (await api.request({ method: 'GET', url: `/api/v1/tenants/${other.slug}/origins` })).json().items,
      ).toHaveLength(1);
    });

    it('answers 404 for an id that is not a UUID', async () => {
      expect((await api.request({ method: 'DELETE', url: `${url()}/not-a-uuid` })).statusCode).toBe(404);
    });
  });

  describe('expiry and note', () => {
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

    it('stores expiresAt and note on an added rule and lists it live', async () => {
      const expiresAt = inDays(3);

      const response = await api.request({
        method: 'POST',
        url: url(),
        body: { origin: 'https://pr-482.preview.example.com', expiresAt, note: 'PR #482' },
      });

      expect(response.statusCode).toBe(201);
      expect(originRuleView.parse(response.json())).toMatchObject({ expiresAt, note: 'PR #482', expired: false });
      const [listed] = (await api.request({ method: 'GET', url: url() })).json().items;
      expect(listed).toMatchObject({ expiresAt, note: 'PR #482', expired: false });
    });

    it('lists a rule whose time has passed with expired: true', async () => {
      await api.request({
        method: 'POST',
        url: url(),
        body: { origin: 'https://soon.example.com', expiresAt: new Date(Date.now() + 300).toISOString() },
      });
      await new Promise((resolve) => setTimeout(resolve, 400));

      const [listed] = (await api.request({ method: 'GET', url: url() })).json().items;

      expect(listed).toMatchObject({ value: 'https://soon.example.com', expired: true });
    });

    it('lists a rule without them with nulls', async () => {
      await addOrigins(api, slug, 'https://a.example.com');

      const [listed] = (await api.request({ method: 'GET', url: url() })).json().items;

      expect(listed).toMatchObject({ expiresAt: null, note: null, expired: false });
    });

    it.each([
      [{ expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt', 'must be in the future'],
      [{ expiresAt: 'tomorrow' }, 'expiresAt', 'must be an ISO 8601 date and time, e.g. 2026-12-31T23:59:59Z'],
      [{ note: 'x'.repeat(501) }, 'note', 'must be at most 500 characters'],
    ])('refuses %j naming %s', async (extra, field, reason) => {
      const response = await api.request({ method: 'POST', url: url(), body: { origin: 'https://a.example.com', ...extra } });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field, reason }]);
    });

    it('sets, changes and clears them with the bulk replace, keeping the rule', async () => {
      const expiresAt = inDays(1);
      await api.request({
        method: 'PUT',
        url: url(),
        body: { origins: [{ origin: 'https://a.example.com', expiresAt, note: 'first' }, { origin: 'https://b.example.com' }] },
      });
      const [before] = (await api.request({ method: 'GET', url: url() })).json().items.filter(
        (o: { value: string }) => o.value === 'https://a.example.com',
      );

      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: { origins: [{ origin: 'https://a.example.com', note: 'second' }, { origin: 'https://b.example.com', expiresAt }] },
      });

      expect(response.statusCode).toBe(200);
      const byValue = Object.fromEntries(
        originRuleListView.parse(response.json()).items.map((o) => [o.value, o]),
      );
      expect(byValue['https://a.example.com']).toMatchObject({ id: before.id, expiresAt: null, note: 'second' });
      expect(byValue['https://b.example.com']).toMatchObject({ expiresAt, note: null });
    });

    it('names the rule of a bulk replace with a past expiresAt', async () => {
      const response = await api.request({
        method: 'PUT',
        url: url(),
        body: { origins: [{ origin: 'https://a.example.com' }, { origin: 'https://b.example.com', expiresAt: '2020-01-01T00:00:00Z' }] },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'origins[1].expiresAt', reason: 'must be in the future' }]);
    });
  });
});
