import pg from 'pg';
import { GatewayHarness, within } from '../../../../test/support/gateway-harness.js';
import { capturingLogger } from '../../../../test/support/silent-logger.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { TenantSeed } from '../../../../test/support/tenant-seed.js';

const APP = 'https://app.acme.test';

/**
 * Below debug level the tenant server has no Fastify logger (no child logger per request): what
 * it has to say reaches the gateway's logger, with the request's id, all the same.
 */
describe('The tenant server’s messages below debug level', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let gateway: GatewayHarness;
  const { logger, lines } = capturingLogger('info');

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    // Loopback: the upstream guard refuses it (UPSTREAM_ALLOWED_HOSTS is not set).
    await seed.tenant('acme', { upstreamUrl: 'http://127.0.0.1:9', origins: [{ kind: 'exact', value: APP }] });
    await seed.tenant('other', { origins: [{ kind: 'exact', value: APP }] });
    gateway = await GatewayHarness.start(db.url, { POLICY_CACHE_TTL_SECONDS: '1' }, logger);
  });
  afterAll(async () => {
    await gateway.close();
    await seed.close();
    await db.drop();
  });

  const linesWith = (message: RegExp) => lines.filter((line) => typeof line.msg === 'string' && message.test(line.msg));

  it('logs a refused upstream as a warning with the request id', async () => {
    const response = await gateway.request({ method: 'GET', url: '/t/acme/orders', headers: { origin: APP } });

    expect(response.statusCode).toBe(502);
    const [line] = linesWith(/^upstream refused/);
    expect(line).toMatchObject({ level: 40, upstream: 'http://127.0.0.1:9' });
    expect(line?.reqId).toEqual(expect.any(String));
  });

  it('logs a policy it cannot read as an error with the request id', async () => {
    expect((await gateway.request({ method: 'GET', url: '/t/other/echo', headers: { origin: APP } })).statusCode).toBe(200);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    // Every read of a policy fails from now on: the table it reads is gone.
    await admin.query('ALTER TABLE tenant_policy_documents RENAME TO tenant_policy_documents_away');
    try {
      await within(5000, async () => {
        const response = await gateway.request({ method: 'GET', url: '/t/stranger/echo', headers: { origin: APP } });
        return response.statusCode === 503;
      });
    } finally {
      await admin.query('ALTER TABLE tenant_policy_documents_away RENAME TO tenant_policy_documents');
      await admin.end();
    }
    const [line] = linesWith(/^tenant policy unavailable$/);
    expect(line).toMatchObject({ level: 50 });
    expect(line?.reqId).toEqual(expect.any(String));
    expect(line?.err).toBeDefined();
  });
});
