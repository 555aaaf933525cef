import { createHash, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../../../test/support/free-port.js';
import { GatewayHarness } from '../../../../test/support/gateway-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { TenantSeed } from '../../../../test/support/tenant-seed.js';

const APP = 'https://app.shop.test';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/** A real upstream API: answers with what it saw, sets its own (wrong) CORS headers. */
function startUpstream(seen: Seen[]): Promise<Server> {
  const server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    if (req.url === '/api/slow') {
      setTimeout(() => res.end('late'), 3000).unref();
      return;
    }
    if (req.url === '/api/upload') {
      // Streams the body back as it arrives; the client compares what it sent with what it got.
      res.writeHead(200, { 'content-type': 'application/octet-stream', vary: 'Accept-Encoding' });
      req.pipe(res);
      return;
    }
    if (req.url === '/api/download') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(1024 * 1024, 7);
      for (let i = 0; i < 16; i++) res.write(chunk);
      res.end();
      return;
    }
    res.writeHead(201, {
      'content-type': 'application/json',
      'access-control-allow-origin': '*',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Upstream-Secret',
      vary: 'Accept-Encoding',
      'x-upstream': 'yes',
    });
    res.end(JSON.stringify({ ok: true }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function digest(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

describe('gateway in front of an upstream API', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let upstream: Server;
  let gateway: GatewayHarness;
  let gatewayUrl: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    upstream = await startUpstream(seen);
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api`;
    await seed.tenant('shop', { upstreamUrl, hostnames: ['shop.example.test'], origins: [{ kind: 'exact', value: APP }], policy: { exposedHeaders: ['X-Upstream'], allowedMethods: ['GET', 'HEAD', 'POST', 'PUT'] } });
    await seed.tenant('gone', { upstreamUrl: `http://127.0.0.1:${await freePort()}`, origins: [{ kind: 'exact', value: APP }] });
    gateway = await GatewayHarness.start(db.url, { UPSTREAM_TIMEOUT_SECONDS: '1', UPSTREAM_ALLOWED_HOSTS: '127.0.0.1' });
    await gateway.app.listen({ port: 0, host: '127.0.0.1' });
    gatewayUrl = await gateway.app.getUrl();
  });
  afterAll(async () => {
    await gateway.close();
    upstream.close();
    await seed.close();
    await db.drop();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it('forwards method, path after the prefix, query, body and headers, adding X-Forwarded-* and Via', async () => {
    const response = await fetch(`${gatewayUrl}/t/shop/orders/42?expand=items`, {
      method: 'PUT',
      headers: { origin: APP, 'content-type': 'application/json', 'x-trace': 'abc' },
      body: JSON.stringify({ quantity: 2 }),
    });

    expect(response.status).toBe(201);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/api/orders/42?expand=items' });
    expect(seen[0]!.headers).toMatchObject({
      'x-trace': 'abc',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-real-ip': '127.0.0.1',
      via: '1.1 corsmesh',
    });
    // Found by its path, the tenant has no hostname of its own to pass on.
    expect(seen[0]!.headers['x-forwarded-host']).toBeUndefined();
    expect(seen[0]!.headers.host).toBe(new URL(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`).host);
  });

  it('replaces the X-Forwarded-*, X-Real-IP and Forwarded a client sent, no proxy being trusted', async () => {
    await fetch(`${gatewayUrl}/t/shop/orders`, {
      headers: {
        'x-forwarded-for': '203.0.113.9',
        'x-real-ip': '203.0.113.9',
        forwarded: 'for=203.0.113.9;host=evil.test',
        'x-forwarded-host': 'evil.test',
        'x-forwarded-proto': 'https',
      },
    });

    expect(seen[0]!.headers).toMatchObject({ 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1', 'x-forwarded-proto': 'http' });
    expect(seen[0]!.headers.forwarded).toBeUndefined();
    expect(seen[0]!.headers['x-forwarded-host']).toBeUndefined();
  });

  it('passes the tenant hostname a request was addressed to as X-Forwarded-Host, whatever the client claims', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${gatewayUrl}/orders`, { headers: { host: 'Shop.Example.test:8443', 'x-forwarded-host': 'evil.test' } });
      req.on('response', (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.end();
    });

    expect(seen[0]).toMatchObject({ url: '/api/orders' });
    expect(seen[0]!.headers['x-forwarded-host']).toBe('shop.example.test:8443');
  });

  it("replaces the upstream's own CORS headers with the tenant policy's and merges Vary", async () => {
    const response = await fetch(`${gatewayUrl}/t/shop/orders`, { headers: { origin: APP } });

    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-expose-headers')).toBe('X-Upstream');
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Origin');
    expect(response.headers.get('x-upstream')).toBe('yes');
  });

  it('drops hop-by-hop headers, including those the client names in Connection', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${gatewayUrl}/t/shop/orders`, {
        headers: { connection: 'keep-alive, x-hop', 'x-hop': 'secret', 'keep-alive': 'timeout=5', 'x-kept': '1' },
      });
      req.on('response', (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.end();
    });

    expect(seen[0]!.headers['x-hop']).toBeUndefined();
    expect(seen[0]!.headers['keep-alive']).toBeUndefined();
    expect(seen[0]!.headers['x-kept']).toBe('1');
  });

  it('never lets a preflight or a refused origin reach the upstream', async () => {
    const preflight = await fetch(`${gatewayUrl}/t/shop/orders`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    const refused = await fetch(`${gatewayUrl}/t/shop/orders`, { method: 'POST', headers: { origin: 'https://evil.test' }, body: 'x' });

    expect(preflight.status).toBe(204);
    expect(refused.status).toBe(403);
    expect(seen).toHaveLength(0);
  });

  it('streams a large request body up and back down unchanged', async () => {
    const body = randomBytes(9 * 1024 * 1024); // under the 10 MiB body limit

    const response = await fetch(`${gatewayUrl}/t/shop/upload`, {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'application/octet-stream' },
      body,
    });
    const received = Buffer.from(await response.arrayBuffer());

    expect(response.status).toBe(200);
    expect(received.length).toBe(body.length);
    expect(digest(received)).toBe(digest(body));
  });

  it('streams a large response body down', async () => {
    const response = await fetch(`${gatewayUrl}/t/shop/download`, { headers: { origin: APP } });

    expect((await response.arrayBuffer()).byteLength).toBe(16 * 1024 * 1024);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('answers 504 with a problem document when the upstream is too slow', async () => {
    const response = await fetch(`${gatewayUrl}/t/shop/slow`, { headers: { origin: APP } });

    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as { detail: string }).detail).toBe('the upstream did not answer in time');
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('answers 502 with a problem document when the upstream is down', async () => {
    const response = await fetch(`${gatewayUrl}/t/gone/anything`, { headers: { origin: APP } });

    expect(response.status).toBe(502);
    expect(((await response.json()) as { detail: string }).detail).toBe('the upstream could not be reached');
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });
});
