import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayHarness } from '../../../test/support/gateway-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { TenantSeed } from '../../../test/support/tenant-seed.js';

const APP = 'https://app.depth.test';

function corsHeaderNames(headers: Record<string, unknown>): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('access-control-'));
}

/** An upstream that answers with a `Vary` of its own, as many APIs do. */
function startUpstream(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', vary: 'Origin, User-Agent' });
    res.end('ok');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('Gateway policy depth', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let upstream: Server;
  let gateway: GatewayHarness;

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    upstream = await startUpstream();
    const origins = [{ kind: 'exact' as const, value: APP }];
    await seed.tenant('getonly', { origins, policy: { allowedMethods: ['GET'] } });
    await seed.tenant('watch', { origins, policy: { allowedMethods: ['GET'], mode: 'report-only' } });
    await seed.tenant('varied', {
      origins,
      upstreamUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    });
    gateway = await GatewayHarness.start(db.url, { UPSTREAM_ALLOWED_HOSTS: '127.0.0.1' });
  });
  afterAll(async () => {
    await gateway.close();
    upstream.close();
    await seed.close();
    await db.drop();
  });

  describe('methods enforced as written', () => {
    it.each(['POST', 'HEAD', 'DELETE'])('refuses a preflight for %s when only GET is listed', async (method) => {
      const response = await gateway.request({
        method: 'OPTIONS',
        url: '/t/getonly/echo',
        headers: { origin: APP, 'access-control-request-method': method },
      });

      expect(response.statusCode).toBe(403);
      expect(corsHeaderNames(response.headers)).toEqual([]);
      expect(response.json().detail).toContain(`method ${method} is not in allowedMethods`);
    });

    it('answers a preflight for the listed method', async () => {
      const response = await gateway.request({
        method: 'OPTIONS',
        url: '/t/getonly/echo',
        headers: { origin: APP, 'access-control-request-method': 'GET' },
      });

      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-methods']).toBe('GET');
    });

    it.each(['POST', 'DELETE'] as const)('refuses an actual %s from an allowed origin with 403 before the handler', async (method) => {
      const response = await gateway.request({ method, url: '/t/getonly/echo', headers: { origin: APP } });

      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(corsHeaderNames(response.headers)).toEqual([]);
      expect(response.headers.vary).toBe('Origin');
      expect(response.json().detail).toContain(`method ${method} is not in allowedMethods`);
    });

    it('serves the listed method, and a request without Origin whatever its method', async () => {
      const listed = await gateway.request({ method: 'GET', url: '/t/getonly/echo', headers: { origin: APP } });
      const noOrigin = await gateway.request({ method: 'DELETE', url: '/t/getonly/echo' });

      expect(listed.statusCode).toBe(200);
      expect(listed.headers['access-control-allow-origin']).toBe(APP);
      expect(noOrigin.statusCode).toBe(200);
    });

    it('lets an unlisted method through in report-only mode, without CORS headers', async () => {
      const response = await gateway.request({ method: 'POST', url: '/t/watch/echo', headers: { origin: APP } });

      expect(response.statusCode).toBe(200);
      expect(corsHeaderNames(response.headers)).toEqual([]);
    });
  });

  describe('Vary', () => {
    it('merges the upstream’s Vary with the gateway’s, each token once', async () => {
      const response = await gateway.request({ method: 'GET', url: '/t/varied/anything', headers: { origin: APP } });

      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(APP);
      expect(response.headers.vary).toBe('Origin, User-Agent');
    });
  });
});
