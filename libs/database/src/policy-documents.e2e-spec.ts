import pg from 'pg';
import { TenantPolicyReader, type TenantPolicy } from '#dynamic-cors/postgres';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { TenantSeed } from '../../../test/support/tenant-seed.js';

/**
 * `tenant_policy_documents`, which the gateways read, is kept by triggers: after every kind of
 * write to the tables it is built from, the reader must answer what those tables now hold. The
 * expected policy is read from the tables themselves, through Prisma.
 */
describe('policy documents follow their tables (real PostgreSQL)', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let pool: pg.Pool;
  let reader: TenantPolicyReader;

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    reader = new TenantPolicyReader(pool);
  });
  afterAll(async () => {
    await pool.end();
    await seed.close();
    await db.drop();
  });

  /** The tenant's policy as the tables hold it, as the reader should answer it. */
  async function fromTables(tenantId: string): Promise<TenantPolicy> {
    const tenant = await seed.prisma.tenant.findUniqueOrThrow({
      where: { id: tenantId },
      include: { policy: true, origins: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    });
    const policy = tenant.policy!;
    const pathRules = policy.pathRules as unknown as NonNullable<TenantPolicy['policy']['pathRules']>;
    return {
      tenantId: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      upstreamUrl: tenant.upstreamUrl,
      version: policy.version,
      policy: {
        origins: tenant.origins.map(({ id, kind, value, expiresAt }) => (expiresAt ? { id, kind, value, expiresAt } : { id, kind, value })),
        allowedMethods: policy.allowedMethods,
        allowedHeaders: policy.allowedHeaders,
        exposedHeaders: policy.exposedHeaders,
        allowCredentials: policy.allowCredentials,
        maxAge: policy.maxAge,
        allowPrivateNetwork: policy.allowPrivateNetwork,
        mode: policy.mode === 'report_only' ? 'report-only' : 'enforce',
        preflightStatus: policy.preflightStatus === 200 ? 200 : 204,
        timingAllowOrigin: policy.timingAllowOrigin,
        debugHeader: policy.debugHeader,
        ...(pathRules.length === 0 ? {} : { pathRules }),
      },
    };
  }

  async function expectCurrent(tenantId: string): Promise<void> {
    const expected = await fromTables(tenantId);
    expect(await reader.read(expected.slug)).toEqual(expected);
  }

  it('answers a tenant created in one nested write, by slug and by hostname', async () => {
    const id = await seed.tenant('created', {
      hostnames: ['api.created.test'],
      upstreamUrl: 'http://127.0.0.1:9/base',
      origins: [
        { kind: 'exact', value: 'https://app.created.test' },
        { kind: 'wildcard', value: 'https://*.created.test' },
      ],
      policy: { allowCredentials: true, maxAge: 30, mode: 'report-only', pathRules: [{ path: '/public/*', origins: [{ kind: 'any', value: '*' }] }] },
    });
    await expectCurrent(id);
    expect(await reader.read({ hostname: 'api.created.test' })).toEqual(await fromTables(id));
    // No origin rule written after the policy row: its own insert must build the document.
    await expectCurrent(await seed.tenant('no-rules-yet'));
  });

  it('follows each kind of change to a tenant, its policy and its origin rules', async () => {
    const id = await seed.tenant('changing', { origins: [{ kind: 'exact', value: 'https://one.changing.test' }] });
    const added = await seed.addOrigin(id, 'regex', '^https://[a-z]{1,10}\\.changing\\.test$');
    await expectCurrent(id);
    await seed.prisma.originRule.update({ where: { id: added.id }, data: { expiresAt: new Date('2030-01-01T00:00:00.123Z') } });
    await expectCurrent(id);
    await seed.updatePolicy(id, { allowedMethods: ['GET', 'PATCH'], exposedHeaders: ['x-trace'], preflightStatus: 200, debugHeader: true });
    await expectCurrent(id);
    await seed.prisma.originRule.delete({ where: { id: added.id } });
    await expectCurrent(id);
    await seed.prisma.tenant.update({ where: { id }, data: { name: 'Renamed shop', upstreamUrl: 'http://127.0.0.1:9/' } });
    await expectCurrent(id);
    await seed.prisma.tenantHostname.create({ data: { hostname: 'api.changing.test', tenantId: id } });
    expect(await reader.read({ hostname: 'api.changing.test' })).toEqual(await fromTables(id));
  });

  it('moves a renamed slug, and answers nothing once the policy or the tenant is gone', async () => {
    const id = await seed.tenant('old-slug');
    await seed.prisma.tenant.update({ where: { id }, data: { slug: 'new-slug' } });
    expect(await reader.read('old-slug')).toBeNull();
    await expectCurrent(id);

    await seed.prisma.corsPolicy.delete({ where: { tenantId: id } });
    expect(await reader.read('new-slug')).toBeNull();

    const doomed = await seed.tenant('doomed', { hostnames: ['api.doomed.test'] });
    await seed.prisma.tenant.delete({ where: { id: doomed } });
    expect(await reader.readMany(['doomed', { hostname: 'api.doomed.test' }])).toEqual([null, null]);
  });

  it('rebuilds every tenant one statement changes', async () => {
    const ids = await Promise.all(['bulk-a', 'bulk-b', 'bulk-c'].map((slug) => seed.tenant(slug)));
    await pool.query('UPDATE cors_policies SET max_age = 42, version = version + 1 WHERE tenant_id = ANY($1::uuid[])', [ids]);
    await pool.query(
      `INSERT INTO origin_rules (id, tenant_id, kind, value) SELECT gen_random_uuid(), id, 'exact', 'https://' || slug || '.test' FROM tenants WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    for (const id of ids) await expectCurrent(id);
    expect((await reader.read('bulk-b'))?.policy).toMatchObject({ maxAge: 42, origins: [{ kind: 'exact', value: 'https://bulk-b.test' }] });
  });

  it('keeps both of two transactions adding rules to one tenant at once', async () => {
    const id = await seed.tenant('concurrent');
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      const insert = (client: pg.PoolClient, value: string) =>
        client.query(`INSERT INTO origin_rules (id, tenant_id, kind, value) VALUES (gen_random_uuid(), $1, 'exact', $2)`, [id, value]);
      await insert(first, 'https://first.concurrent.test');
      // Waits for the first transaction's lock on the policy row, taken by its document's rebuild.
      const secondInsert = insert(second, 'https://second.concurrent.test');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.query('COMMIT');
      await secondInsert;
      await second.query('COMMIT');
    } finally {
      first.release();
      second.release();
    }
    // Both began in the same millisecond, maybe: created_at ties, and the random ids decide.
    const values = (await reader.read('concurrent'))?.policy.origins.map((rule) => rule.value).sort();
    expect(values).toEqual(['https://first.concurrent.test', 'https://second.concurrent.test']);
    await expectCurrent(id);
  });
});
