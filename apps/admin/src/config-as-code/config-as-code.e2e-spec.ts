import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { addOrigins, createApiKey, createTenant } from '../../../../test/factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { ConfigAsCodeController } from './config-as-code.controller.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../../../test/fixtures/config-as-code', name), 'utf8');

interface Plan {
  dryRun: boolean;
  changes: { tenant: string; action: string; fields: string[] }[];
  losses: { where: string; what: string }[];
}

describe(ConfigAsCodeController.name, () => {
  let api: AdminTestApp;

  beforeAll(async () => {
    api = await startAdminTestApp({ UPSTREAM_ALLOWED_HOSTS: '127.0.0.1' });
  });
  afterAll(async () => {
    await api.close();
  });

  const importing = (query: string, body: string | object, contentType = 'application/json', token?: string | null) =>
    api.request({
      method: 'POST',
      url: `/api/v1/import?${query}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': contentType },
      ...(token === undefined ? {} : { token }),
    });
  const plan = async (query: string, body: string | object, contentType?: string): Promise<Plan> => {
    const response = await importing(query, body, contentType);
    if (response.statusCode !== 200) throw new Error(`import ${query}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const exporting = (query: string, accept = 'application/json', token?: string | null) =>
    api.request({ method: 'GET', url: `/api/v1/export?${query}`, headers: { accept }, ...(token === undefined ? {} : { token }) });
  const policyOf = async (slug: string) => (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/policy` })).json();
  const originsOf = async (slug: string): Promise<string[]> =>
    (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/origins` })).json().items.map((o: { value: string }) => o.value).sort();
  const tenantCount = async () => {
    const client = new pg.Client({ connectionString: api.db.url });
    await client.connect();
    try {
      return Number((await client.query('SELECT count(*) FROM tenants')).rows[0].count);
    } finally {
      await client.end();
    }
  };
  const richTenant = async (slug: string) => {
    await createTenant(api, { slug, hostnames: [`${slug}.example.net`], upstreamUrl: 'https://backend.example.net/api' });
    await addOrigins(api, slug, 'https://app.example.com', 'https://*.example.org');
    await api.request({ method: 'POST', url: `/api/v1/tenants/${slug}/origins`, body: { pattern: '^https://pr-[0-9]+\\.preview\\.example\\.com$', type: 'regex' } });
    const response = await api.request({
      method: 'PATCH',
      url: `/api/v1/tenants/${slug}/policy`,
      headers: { 'if-match': '"1"' },
      body: {
        allowedMethods: ['GET', 'POST', 'PATCH'],
        allowedHeaders: ['Content-Type', 'X-Request-Id'],
        exposedHeaders: ['X-Request-Id'],
        maxAge: 3600,
        mode: 'report-only',
        pathRules: [{ path: '/public/**', origins: ['*'], allowedMethods: ['GET'] }, { path: '/hooks/**', disabled: true }],
      },
    });
    if (response.statusCode !== 200) throw new Error(response.body);
  };

  describe('round trips: an export imported back is a no-op plan', () => {
    beforeAll(async () => {
      await richTenant('round-a');
      await richTenant('round-b');
    });

    it.each([
      ['JSON', 'application/json'],
      ['YAML', 'application/yaml'],
    ])('native corsmesh %s', async (_syntax, type) => {
      const exported = await exporting('format=corsmesh', type);
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-type']).toContain(type);
      expect(exported.headers['cors-export-losses']).toBeUndefined();

      const result = await plan('format=corsmesh', exported.body, type);

      expect(result.dryRun).toBe(true);
      expect(result.changes.map((c) => c.action)).toEqual(['unchanged', 'unchanged']);
      expect(result.losses).toEqual([]);
    });

    it('native YAML carries every field of the tenant', async () => {
      const document = parseYaml((await exporting('format=corsmesh&tenant=round-a', 'application/yaml')).body);

      expect(document.version).toBe(1);
      expect(document.tenants[0]).toMatchObject({
        slug: 'round-a',
        hostnames: ['round-a.example.net'],
        upstreamUrl: 'https://backend.example.net/api',
        policy: { maxAge: 3600, mode: 'report-only', pathRules: [{ path: '/public/**', origins: ['*'] }, { path: '/hooks/**', disabled: true }] },
        origins: expect.arrayContaining([{ origin: 'https://*.example.org' }, { pattern: '^https://pr-[0-9]+\\.preview\\.example\\.com$', type: 'regex' }]),
      });
    });

    it.each([
      ['JSON', 'application/json'],
      ['XML', 'application/xml'],
    ])('S3 %s, with the losses of the export reported', async (_syntax, type) => {
      const exported = await exporting('format=s3&tenant=round-a', type);
      expect(exported.statusCode).toBe(200);
      expect(Number(exported.headers['cors-export-losses'])).toBeGreaterThan(0);
      if (type === 'application/xml') expect(exported.body).toContain('<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');

      const result = await plan('format=s3&tenant=round-a', exported.body, type);

      expect(result.changes).toEqual([{ tenant: 'round-a', action: 'unchanged', fields: [], diff: [] }]);
    });

    it('S3 report=true lists what S3 cannot say', async () => {
      const { document, losses } = (await exporting('format=s3&tenant=round-a&report=true')).json();

      expect(document.CORSRules[0]).toMatchObject({ ID: 'round-a', AllowedMethods: ['GET', 'POST'], MaxAgeSeconds: 3600 });
      expect(losses.map((l: { what: string }) => l.what)).toEqual(
        expect.arrayContaining([
          expect.stringContaining('method PATCH'),
          expect.stringContaining('regex origin'),
          expect.stringContaining('path rule'),
          expect.stringContaining('mode report-only'),
        ]),
      );
    });

    it('Kong decK YAML', async () => {
      const exported = await exporting('format=kong', 'application/yaml');
      const deck = parseYaml(exported.body);
      expect(deck.services[0]).toMatchObject({ name: 'round-a', url: 'https://backend.example.net/api', tags: ['tenant-round-a'] });
      expect(deck.services[0].routes[0].plugins[0].config.origins).toContain('^https://(?:[a-z0-9-]+\\.)+example\\.org$');

      const result = await plan('format=kong', exported.body, 'application/yaml');

      expect(result.changes.map((c) => [c.tenant, c.action])).toEqual([
        ['round-a', 'unchanged'],
        ['round-b', 'unchanged'],
      ]);
    });
  });

  describe('S3 documents from the AWS documentation', () => {
    it('imports the CORSConfiguration XML example, merging its rules and saying so', async () => {
      await createTenant(api, { slug: 's3-xml' });

      const result = await plan('format=s3&tenant=s3-xml&dryRun=false', fixture('aws-s3-cors-example.xml'), 'application/xml');

      expect(result.changes).toEqual([expect.objectContaining({ tenant: 's3-xml', action: 'update' })]);
      expect(result.losses.map((l) => l.what)).toEqual(
        expect.arrayContaining([expect.stringContaining('AllowedMethod differs'), expect.stringContaining('also allows Authorization')]),
      );
      expect(await originsOf('s3-xml')).toEqual(['*', 'http://www.example1.com', 'http://www.example2.com']);
      expect(await policyOf('s3-xml')).toMatchObject({ allowedMethods: ['PUT', 'POST', 'DELETE', 'GET'], allowedHeaders: ['*'], maxAge: 5 });
    });

    it('reads the console’s bare JSON array of the same example as the XML', async () => {
      const result = await plan('format=s3&tenant=s3-xml', fixture('aws-s3-cors-example.json'));

      expect(result.changes[0]).toMatchObject({ tenant: 's3-xml', action: 'unchanged' });
      expect(result.losses.map((l) => l.what)).toEqual(expect.arrayContaining([expect.stringContaining('AllowedMethod differs')]));
    });

    it('creates a tenant from the put-bucket-cors {CORSRules} JSON', async () => {
      const result = await plan('format=s3&tenant=s3-cli&dryRun=false', fixture('aws-put-bucket-cors.json'));

      expect(result.changes[0]).toMatchObject({ tenant: 's3-cli', action: 'create' });
      expect(await policyOf('s3-cli')).toMatchObject({
        allowedMethods: ['PUT', 'POST', 'DELETE', 'GET'],
        allowedHeaders: ['*', 'Authorization'],
        exposedHeaders: ['x-amz-server-side-encryption'],
        maxAge: 3000,
      });
    });

    it('refuses a method S3 does not have with 400 naming it, changing nothing', async () => {
      const response = await importing('format=s3&tenant=s3-cli&dryRun=false', { CORSRules: [{ AllowedOrigins: ['https://a.example'], AllowedMethods: ['PATCH'] }] });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'CORSRules[0].AllowedMethod[0]', reason: expect.stringContaining('GET, PUT, HEAD, POST, DELETE') }]);
    });

    it('drops a public-suffix wildcard as a loss, by the origin routes’ own rule', async () => {
      const result = await plan('format=s3&tenant=s3-cli', [{ AllowedOrigins: ['https://*.co.uk', 'https://ok.example'], AllowedMethods: ['GET'] }]);

      expect(result.losses).toContainEqual({ where: 'CORSRules[0].AllowedOrigin[0]', what: expect.stringContaining('public suffix') });
    });
  });

  describe('Kong and express', () => {
    it('imports a decK file like Kong’s documentation: tenant by tag, hosts, upstream, plugin', async () => {
      const result = await plan('format=kong&dryRun=false', fixture('kong-deck-cors.yaml'), 'application/yaml');

      expect(result.changes).toEqual([expect.objectContaining({ tenant: 'kong-example', action: 'create' })]);
      const tenant = (await api.request({ method: 'GET', url: '/api/v1/tenants/kong-example' })).json();
      expect(tenant).toMatchObject({ name: 'example-service', hostnames: ['api.kong-example.com'], upstreamUrl: 'https://httpbin.konghq.com' });
      expect(await policyOf('kong-example')).toMatchObject({ allowedMethods: ['GET', 'POST'], allowCredentials: true, maxAge: 3600, exposedHeaders: ['X-Auth-Token'] });
      expect(await originsOf('kong-example')).toEqual(['http://mockbin.com']);
      // Its route now maps to the tenant by its host, without the tag.
      const byHost = fixture('kong-deck-cors.yaml').replace('tenant-kong-example', 'other-tag');
      expect((await plan('format=kong', byHost, 'application/yaml')).changes[0]).toMatchObject({ tenant: 'kong-example', action: 'unchanged' });
    });

    it('reports an unsafe Kong regex and * with credentials as losses, importing neither', async () => {
      const deck = {
        services: [
          {
            name: 'risky',
            tags: ['tenant-kong-risky'],
            plugins: [{ name: 'cors', config: { origins: ['*', 'https://(a+)+\\.example\\.com', 'https://.*\\.example\\.com'], credentials: true } }],
          },
        ],
      };

      const result = await plan('format=kong', deck);

      expect(result.losses).toEqual(
        expect.arrayContaining([
          { where: 'services[0].plugins[0].config.origins[0]', what: expect.stringContaining('credentials') },
          { where: 'services[0].plugins[0].config.origins[1]', what: expect.stringContaining('refused') },
          expect.objectContaining({ where: 'services[0].plugins[0].config.origins[2]', what: expect.stringContaining('anchored at the start') }),
          { where: 'services[0].plugins[0].config.headers', what: expect.stringContaining('reflects') },
          { where: 'services[0].plugins[0].config.methods', what: expect.stringContaining('TRACE, CONNECT') },
        ]),
      );
    });

    it('imports express cors() options, reporting origin: true as a loss', async () => {
      await createTenant(api, { slug: 'express-app' });
      const result = await plan('format=express&tenant=express-app&dryRun=false', fixture('express-cors-options.json'));

      expect(result.losses).toEqual([]);
      expect(await policyOf('express-app')).toMatchObject({
        allowedMethods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'],
        allowedHeaders: ['Content-Type', 'Authorization'],
        exposedHeaders: ['Content-Range', 'X-Content-Range'],
        allowCredentials: true,
        maxAge: 600,
        preflightStatus: 200,
      });
      expect(await originsOf('express-app')).toEqual(['http://example1.com', 'http://example2.com']);

      const reflecting = await plan('format=express&tenant=express-app', { origin: true, credentials: true });
      expect(reflecting.losses).toEqual(
        expect.arrayContaining([{ where: 'origin', what: expect.stringContaining('reflects any origin') }, { where: 'allowedHeaders', what: expect.stringContaining('reflects') }]),
      );
    });
  });

  describe('apply', () => {
    const documentOf = (count: number, prefix: string) => ({
      version: 1,
      tenants: Array.from({ length: count }, (_, i) => ({
        slug: `${prefix}-${i}`,
        name: `Bulk ${i}`,
        hostnames: [`${prefix}-${i}.bulk.example`],
        policy: { maxAge: 100 + i },
        origins: [{ origin: `https://app-${i}.bulk.example` }],
      })),
    });

    it('changes nothing when one item of 100 tenants is invalid, naming it', async () => {
      const before = await tenantCount();
      const document = documentOf(100, 'atomic');
      document.tenants[57]!.origins = [{ origin: 'https://*.com' }];

      const response = await importing('dryRun=false', document);

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'tenants[57].origins[0]', reason: expect.stringContaining('public suffix') }]);
      expect(await tenantCount()).toBe(before);
    });

    it('applies 100 tenants in one transaction, then plans them unchanged', async () => {
      const applied = await plan('dryRun=false', documentOf(100, 'bulk'));
      expect(applied.dryRun).toBe(false);
      expect(applied.changes.filter((c) => c.action === 'create')).toHaveLength(100);
      expect(await policyOf('bulk-42')).toMatchObject({ maxAge: 142 });

      expect(new Set((await plan('', documentOf(100, 'bulk'))).changes.map((c) => c.action))).toEqual(new Set(['unchanged']));
    });

    it('a dry run (the default) changes nothing', async () => {
      const result = await plan('', documentOf(1, 'dry'));

      expect(result).toMatchObject({ dryRun: true, changes: [{ tenant: 'dry-0', action: 'create' }] });
      expect((await api.request({ method: 'GET', url: '/api/v1/tenants/dry-0' })).statusCode).toBe(404);
    });

    it('sends one change notice per changed tenant', async () => {
      const listener = new pg.Client({ connectionString: api.db.url });
      await listener.connect();
      const notices: { tenantId: string; slugs: string[] }[] = [];
      listener.on('notification', (n) => notices.push(JSON.parse(n.payload!)));
      await listener.query('LISTEN corsmesh_policy_changed');
      try {
        const document = documentOf(3, 'notice');
        await plan('dryRun=false', document);
        document.tenants[1]!.policy.maxAge = 9;
        document.tenants[1]!.hostnames = ['moved.bulk.example'];
        await plan('dryRun=false', document);
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        await listener.end();
      }

      expect(notices.map((n) => n.slugs)).toEqual([['notice-0'], ['notice-1'], ['notice-2'], ['notice-1']]);
    });

    it('records an audit event with the tenant before and after', async () => {
      const document = documentOf(1, 'audited');
      await plan('dryRun=false', document);
      document.tenants[0]!.policy.maxAge = 7;
      await plan('dryRun=false', document);

      const events = (await api.request({ method: 'GET', url: '/api/v1/tenants/audited-0/audit' })).json().items;
      expect(events[0]).toMatchObject({ action: 'tenant.imported', actor: 'root', before: { policy: { maxAge: 100 } }, after: { policy: { maxAge: 7 } } });
    });

    it('records one version per tenant whose CORS configuration changed, and none for a rename', async () => {
      const document = documentOf(2, 'versioned');
      await plan('dryRun=false', document);
      document.tenants[0]!.policy.maxAge = 7;
      document.tenants[1]!.name = 'Renamed';
      await plan('dryRun=false', document);

      const versionsOf = async (slug: string) => (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/versions` })).json().items;
      expect(await versionsOf('versioned-0')).toMatchObject([
        { version: 2, actor: 'root', summary: 'imported: policy.maxAge' },
        { version: 1, summary: 'created by a configuration import' },
      ]);
      expect(await versionsOf('versioned-1')).toHaveLength(1);
    });

    it('carries an origin’s expiry and note through the native format, and keeps them when S3 names the origin', async () => {
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const document = {
        version: 1,
        tenants: [{ slug: 'expiring', name: 'Expiring', origins: [{ origin: 'https://preview.example.com', expiresAt, note: 'PR 42' }] }],
      };
      await plan('dryRun=false', document);

      const exported = JSON.parse((await exporting('format=corsmesh&tenant=expiring')).body);
      expect(exported.tenants[0].origins).toEqual([{ origin: 'https://preview.example.com', expiresAt, note: 'PR 42' }]);
      expect((await plan('format=corsmesh', exported)).changes.map((c) => c.action)).toEqual(['unchanged']);

      await plan('format=s3&tenant=expiring&dryRun=false', { CORSRules: [{ AllowedOrigins: ['https://preview.example.com', 'https://new.example.com'], AllowedMethods: ['GET'] }] });
      const origins = (await api.request({ method: 'GET', url: '/api/v1/tenants/expiring/origins' })).json().items;
      expect(origins.find((o: { value: string }) => o.value === 'https://preview.example.com')).toMatchObject({ expiresAt, note: 'PR 42' });
      expect(origins.find((o: { value: string }) => o.value === 'https://new.example.com')).toMatchObject({ expiresAt: null, note: null });
    });

    it('moves a hostname from one tenant to another in one import', async () => {
      const document = documentOf(2, 'move');
      await plan('dryRun=false', document);
      document.tenants[0]!.hostnames = ['move-1.bulk.example'];
      document.tenants[1]!.hostnames = ['move-0.bulk.example'];

      await plan('dryRun=false', document);

      expect((await api.request({ method: 'GET', url: '/api/v1/tenants/move-0' })).json().hostnames).toEqual(['move-1.bulk.example']);
    });

    it('refuses a hostname of a tenant the import does not change', async () => {
      await createTenant(api, { slug: 'host-owner', hostnames: ['taken.example.net'] });
      const response = await importing('', { version: 1, tenants: [{ slug: 'host-thief', name: 'Thief', hostnames: ['taken.example.net'] }] });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'tenants[0].hostnames', reason: 'taken.example.net belongs to tenant host-owner, which this import does not change' }]);
    });

    it('prunes the tenants the document does not name only with prune=true', async () => {
      const all = (await exporting('format=corsmesh')).json();
      const kept = { version: 1, tenants: all.tenants.filter((t: { slug: string }) => t.slug !== 'round-b') };

      const without = await plan('dryRun=false', kept);
      expect(without.changes.some((c) => c.action === 'delete')).toBe(false);
      const pruned = await plan('dryRun=false&prune=true', kept);

      expect(pruned.changes.filter((c) => c.action === 'delete')).toEqual([{ tenant: 'round-b', action: 'delete', fields: [], diff: [] }]);
      expect((await api.request({ method: 'GET', url: '/api/v1/tenants/round-b' })).statusCode).toBe(404);
    });
  });

  describe('errors', () => {
    it.each([
      ['format=yaml', 'query.format'],
      ['dryRun=maybe', 'query.dryRun'],
    ])('refuses %s with 400', async (query, field) => {
      const response = await importing(query, { version: 1, tenants: [] });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields[0].field).toBe(field.replace('query.', ''));
    });

    it('names every invalid field of a native document', async () => {
      const response = await importing('', { version: 2, tenants: [{ slug: 'BAD', name: '' }] });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'version', reason: 'must be 1' }]);
      const tenants = await importing('', { version: 1, tenants: [{ slug: 'BAD', name: '', policy: { maxAge: -1, colour: 'red' } }] });
      expect(tenants.json().invalidFields.map((f: { field: string }) => f.field)).toEqual(
        expect.arrayContaining(['tenants[0].slug', 'tenants[0].name', 'tenants[0].policy.maxAge', 'tenants[0].policy.colour']),
      );
    });

    it('answers a YAML syntax error with 400 on body, and an unknown media type with 415', async () => {
      expect((await importing('', 'version: [1', 'application/yaml')).json().invalidFields[0]).toMatchObject({ field: 'body', reason: expect.stringContaining('YAML') });
      expect((await importing('', 'version=1', 'text/plain')).statusCode).toBe(415);
    });

    it('needs a tenant for S3, refuses prune with it, and 404s an unknown tenant on export', async () => {
      expect((await exporting('format=s3')).json().invalidFields).toEqual([{ field: 'tenant', reason: expect.stringContaining('required') }]);
      expect((await importing('format=s3&tenant=x&prune=true', [])).json().invalidFields[0].field).toBe('prune');
      expect((await exporting('format=corsmesh&tenant=nobody')).statusCode).toBe(404);
      expect((await exporting('format=kong', 'application/xml')).statusCode).toBe(406);
    });
  });

  describe('tenant keys', () => {
    let own: string;
    let secret: string;

    beforeAll(async () => {
      ({ slug: own } = await createTenant(api, { slug: 'keyed' }));
      await createTenant(api, { slug: 'not-keyed' });
      await addOrigins(api, own, 'https://keyed.example');
      ({ secret } = await createApiKey(api, own));
    });

    it('export and import their own tenant in S3 and express', async () => {
      const exported = await exporting(`format=s3&tenant=${own}`, 'application/json', secret);
      expect(exported.statusCode).toBe(200);

      const imported = await importing(`format=s3&tenant=${own}`, exported.body, 'application/json', secret);
      expect(imported.statusCode).toBe(200);
      expect((await importing(`format=express&tenant=${own}&dryRun=false`, { origin: 'https://keyed.example' }, 'application/json', secret)).statusCode).toBe(200);
      const audit = (await api.request({ method: 'GET', url: `/api/v1/tenants/${own}/audit` })).json().items;
      expect(audit[0].actor).toMatch(/^key:/);
    });

    it.each([
      ['export another tenant', () => exporting('format=s3&tenant=not-keyed', 'application/json', secret)],
      ['import into another tenant', () => importing('format=s3&tenant=not-keyed', [], 'application/json', secret)],
      ['export without a tenant', () => exporting('format=s3', 'application/json', secret)],
      ['export the native format of its own tenant', () => exporting(`format=corsmesh&tenant=${own}`, 'application/json', secret)],
      ['import a Kong file for its own tenant', () => importing(`format=kong&tenant=${own}`, { services: [] }, 'application/json', secret)],
    ])('cannot %s (403)', async (_what, call) => {
      expect((await call()).statusCode).toBe(403);
    });

    it('answers 401 without a token', async () => {
      expect((await exporting('format=corsmesh', 'application/json', null)).statusCode).toBe(401);
    });
  });
});
