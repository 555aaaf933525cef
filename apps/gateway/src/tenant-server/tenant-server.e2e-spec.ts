import { rawRequest } from '../../../../reliability/lib/raw-http.js';
import { GatewayHarness } from '../../../../test/support/gateway-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { TenantSeed } from '../../../../test/support/tenant-seed.js';

const APP = 'https://app.acme.test';

/**
 * Over real HTTP, where the gateway's server hands tenant traffic to the tenant server and its
 * own routes to the Nest app (the other e2e tests mostly go through `inject()`, which enters by
 * the Nest app's catch-all route).
 */
describe('The gateway’s one server: tenant traffic and its own routes', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let gateway: GatewayHarness;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    await seed.tenant('acme', {
      hostnames: ['api.acme.test'],
      origins: [{ kind: 'exact', value: APP }],
      policy: { allowedMethods: ['GET', 'POST', 'PUT'], allowedHeaders: ['Content-Type'] },
    });
    gateway = await GatewayHarness.start(db.url, { GATEWAY_BODY_LIMIT_BYTES: '1024' });
    port = await gateway.listen();
  });
  afterAll(async () => {
    await gateway.close();
    await seed.close();
    await db.drop();
  });

  const send = (head: string, body = '') =>
    rawRequest(port, `${head}\r\nConnection: close\r\n${body ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body}`);

  it('serves an allowed actual request with its body, by path and by Host', async () => {
    const byPath = await send(`POST /t/acme/echo HTTP/1.1\r\nHost: gw.test\r\nOrigin: ${APP}\r\nContent-Type: application/json`, '{"a":1}');
    const byHost = await send(`GET /echo HTTP/1.1\r\nHost: api.acme.test\r\nOrigin: ${APP}`);

    expect(byPath.status).toBe(200);
    expect(byPath.headers.get('access-control-allow-origin')).toEqual([APP]);
    expect(JSON.parse(byPath.body)).toMatchObject({ tenant: 'acme', method: 'POST', path: '/echo' });
    expect(byHost.status).toBe(200);
    expect(byHost.headers.get('access-control-allow-origin')).toEqual([APP]);
  });

  it('answers a preflight and refuses an unlisted origin before the handler', async () => {
    const preflight = await send(`OPTIONS /t/acme/echo HTTP/1.1\r\nHost: gw.test\r\nOrigin: ${APP}\r\nAccess-Control-Request-Method: PUT`);
    const refused = await send('GET /t/acme/echo HTTP/1.1\r\nHost: gw.test\r\nOrigin: https://evil.test');

    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toEqual(['GET, POST, PUT']);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')?.[0]).toMatch(/^application\/problem\+json/);
  });

  it('answers errors of tenant traffic as problem documents: a body over the limit, an unknown tenant', async () => {
    const tooLarge = await send(`POST /t/acme/echo HTTP/1.1\r\nHost: gw.test\r\nOrigin: ${APP}\r\nContent-Type: text/plain`, 'x'.repeat(2000));
    const unknown = await send('GET /t/nobody/echo HTTP/1.1\r\nHost: gw.test');

    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')?.[0]).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ status: 413, instance: '/t/acme/echo' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ status: 404, detail: 'no such tenant' });
  });

  it('serves health and metrics from the Nest app, without CORS, even on a tenant’s Host', async () => {
    const live = await send('GET /health/live HTTP/1.1\r\nHost: api.acme.test\r\nOrigin: https://evil.test');
    const metrics = await send('GET /metrics?x=1 HTTP/1.1\r\nHost: gw.test');

    expect(live.status).toBe(200);
    expect([...live.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(metrics.status).toBe(200);
    // The decisions taken by the tenant server reach the gateway's metrics.
    expect(metrics.body).toMatch(/corsmesh_cors_decisions_total\{kind="actual",outcome="refused"\} [1-9]/);
    expect(metrics.body).toMatch(/corsmesh_cors_decisions_total\{kind="preflight",outcome="allowed"\} [1-9]/);
  });

  it('answers a method no route takes (WebDAV’s PROPFIND) with a 404 problem document, after the CORS hook', async () => {
    const crossOrigin = await send(`PROPFIND /t/acme/echo HTTP/1.1\r\nHost: gw.test\r\nOrigin: ${APP}`);
    const response = await send('PROPFIND /t/acme/echo HTTP/1.1\r\nHost: gw.test');

    // A cross-origin request with a method the policy does not list is refused first.
    expect(crossOrigin.status).toBe(403);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')?.[0]).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.body)).toMatchObject({ status: 404, detail: 'no route for PROPFIND /t/acme/echo', instance: '/t/acme/echo' });
  });

  it('answers a request target that is not a path with 404, as the Nest app always has, not as a tenant path', async () => {
    const asterisk = await send(`GET *t/acme/echo HTTP/1.1\r\nHost: gw.test\r\nOrigin: ${APP}`);
    const server = await send(`OPTIONS * HTTP/1.1\r\nHost: api.acme.test\r\nOrigin: ${APP}\r\nAccess-Control-Request-Method: PUT`);

    expect(asterisk.status).toBe(404);
    expect(asterisk.headers.get('access-control-allow-origin')).toBeUndefined();
    expect(server.status).toBe(404);
    expect(server.headers.get('access-control-allow-origin')).toBeUndefined();
  });

  it('takes any other path under /health/ on a tenant’s Host for the tenant’s', async () => {
    const response = await send(`GET /health/other HTTP/1.1\r\nHost: api.acme.test\r\nOrigin: ${APP}`);

    expect(response.status).toBe(404);
    expect(response.headers.get('access-control-allow-origin')).toEqual([APP]);
    expect(JSON.parse(response.body)).toMatchObject({ detail: expect.stringMatching(/tenant acme has no upstream/) });
  });
});
