import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { GatewayHarness } from '../../../test/support/gateway-harness.js';
import { TenantSeed } from '../../../test/support/tenant-seed.js';

const APP = 'https://app.debug.test';

describe('CORS-Decision header', () => {
  let db: TestDatabase;
  let gateway: GatewayHarness;
  let ruleId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const seed = new TenantSeed(db.url);
    const debugId = await seed.tenant('debug', {
      origins: [{ kind: 'exact', value: APP }],
      policy: { debugHeader: true, allowedMethods: ['GET'] },
    });
    ruleId = (await seed.prisma.originRule.findFirstOrThrow({ where: { tenantId: debugId } })).id;
    await seed.tenant('quiet', { origins: [{ kind: 'exact', value: APP }] });
    await seed.tenant('report', { origins: [{ kind: 'exact', value: APP }], policy: { debugHeader: true, mode: 'report-only' } });
    await seed.close();
    gateway = await GatewayHarness.start(db.url);
  });
  afterAll(async () => {
    await gateway.close();
    await db.drop();
  });

  const get = (slug: string, origin?: string, method = 'GET') =>
    gateway.request({ method: method as 'GET', url: `/t/${slug}/echo`, headers: origin === undefined ? {} : { origin } });

  it('names the matched rule by its id on an allowed response, never its value', async () => {
    const response = await get('debug', APP);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cors-decision']).toBe(`allowed; rule=${ruleId}`);
    expect(String(response.headers['cors-decision'])).not.toContain('debug.test');
  });

  it('gives the reason code of a refusal, with the rule when the origin matched one', async () => {
    const refused = await get('debug', 'https://evil.test');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['cors-decision']).toBe('refused; reason=origin_not_listed');
    const method = await get('debug', APP, 'DELETE');
    expect(method.headers['cors-decision']).toBe(`refused; reason=method_not_allowed; rule=${ruleId}`);
  });

  it('is on preflights, allowed and refused', async () => {
    const allowed = await gateway.request({
      method: 'OPTIONS',
      url: '/t/debug/echo',
      headers: { origin: APP, 'access-control-request-method': 'GET' },
    });
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['cors-decision']).toBe(`allowed; rule=${ruleId}`);
    const refused = await gateway.request({
      method: 'OPTIONS',
      url: '/t/debug/echo',
      headers: { origin: APP, 'access-control-request-method': 'PUT' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['cors-decision']).toBe(`refused; reason=method_not_allowed; rule=${ruleId}`);
  });

  it('tells a report-only refusal that passed, and a request without Origin', async () => {
    const reported = await get('report', 'https://evil.test');
    expect(reported.statusCode).toBe(200);
    expect(reported.headers['cors-decision']).toBe('refused; reason=origin_not_listed');
    expect((await get('debug')).headers['cors-decision']).toBe('allowed');
  });

  it('is absent unless the policy enables it', async () => {
    expect((await get('quiet', APP)).headers['cors-decision']).toBeUndefined();
    expect((await get('quiet', 'https://evil.test')).headers['cors-decision']).toBeUndefined();
  });
});
