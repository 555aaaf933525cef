import { connect } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { GatewayHarness } from '../../../test/support/gateway-harness.js';
import { TenantSeed } from '../../../test/support/tenant-seed.js';

const TRUSTED = 'https://trusted.com';

/** Sends raw bytes over a socket (for requests no client library would send); the server closes it. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString('latin1')));
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
  });
}

function statusOf(raw: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
}

describe('gateway under hostile input', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let gateway: GatewayHarness;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    await seed.tenant('bank', {
      origins: [
        { kind: 'exact', value: TRUSTED },
        { kind: 'wildcard', value: 'https://*.trusted.com' },
      ],
      policy: { allowedMethods: ['GET', 'POST', 'PUT'], allowCredentials: true },
    });
    gateway = await GatewayHarness.start(db.url);
    port = await gateway.listen();
  });
  afterAll(async () => {
    await gateway.close();
    await seed.close();
    await db.drop();
  });

  const actual = (origin: string) => gateway.request({ method: 'POST', url: '/t/bank/echo', headers: { origin } });
  const corsHeaders = (headers: Record<string, unknown>) => Object.keys(headers).filter((name) => name.startsWith('access-control-'));

  it.each([
    ['a suffix domain', 'https://trusted.com.evil.com'],
    ['a fragment trick', 'https://evil.com#@trusted.com'],
    ['an encoded dot', 'https://trusted.com%2eevil.com'],
    ['a path trick', 'https://evil.com/.trusted.com'],
    ['userinfo', 'https://trusted.com@evil.com'],
    ['a prefix domain', 'https://eviltrusted.com'],
    ['another scheme', 'http://trusted.com'],
    ['a port trick', 'https://trusted.com:443.evil.com'],
    ['a NUL byte', 'https://TRUSTED.com\u0000.evil.com'],
    ['null', 'null'],
    ['an empty origin', ''],
    ['a list of origins', 'https://trusted.com, https://evil.com'],
    ['100 KB', 'x'.repeat(100_000)],
  ])('refuses %s with 403 and no CORS headers', async (_, origin) => {
    const response = await actual(origin);

    expect(response.statusCode).toBe(403);
    expect(corsHeaders(response.headers)).toEqual([]);
  });

  it('accepts the trusted origin with a trailing dot, echoing exactly what was sent', async () => {
    const response = await actual('https://trusted.com.');

    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('https://trusted.com.');
  });

  it('refuses two Origin headers on one request', async () => {
    const raw = await rawRequest(
      port,
      'POST /t/bank/echo HTTP/1.1\r\nHost: x\r\nOrigin: https://trusted.com\r\nOrigin: https://evil.com\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    );

    expect(statusOf(raw)).toBe(403);
    expect(raw.toLowerCase()).not.toContain('access-control-allow');
  });

  it('answers an Origin of 100 KB over a socket without crashing and without CORS headers', async () => {
    const raw = await rawRequest(port, `GET /t/bank/echo HTTP/1.1\r\nHost: x\r\nOrigin: https://${'a'.repeat(100_000)}.com\r\nConnection: close\r\n\r\n`);

    expect(statusOf(raw)).toBe(431);
    expect(raw.toLowerCase()).not.toContain('access-control-allow');
    expect((await actual(TRUSTED)).statusCode).toBe(200);
  });

  it('refuses odd bytes in a header name at the HTTP parser, and keeps serving', async () => {
    const raw = await rawRequest(port, 'GET /t/bank/echo HTTP/1.1\r\nHost: x\r\nOri\x01gin: https://trusted.com\r\nConnection: close\r\n\r\n');

    expect(statusOf(raw)).toBe(400);
    expect((await actual(TRUSTED)).statusCode).toBe(200);
  });

  it('refuses a lower-case method name at the HTTP parser', async () => {
    const raw = await rawRequest(port, 'post /t/bank/echo HTTP/1.1\r\nHost: x\r\nOrigin: https://trusted.com\r\nConnection: close\r\n\r\n');

    expect(statusOf(raw)).toBe(400);
  });

  it.each([
    ['put', 204],
    ['patch', 403],
    ['PATCH', 403],
    ['*', 403],
  ])('treats Access-Control-Request-Method %j as the Fetch standard does', async (method, status) => {
    const response = await gateway.request({
      method: 'OPTIONS',
      url: '/t/bank/echo',
      headers: { origin: TRUSTED, 'access-control-request-method': method },
    });

    expect(response.statusCode).toBe(status);
    if (status === 403) expect(corsHeaders(response.headers)).toEqual([]);
  });

  it('survives an Access-Control-Request-Headers of 100 KB and of thousands of commas', async () => {
    for (const requested of ['x-a,'.repeat(25_000), ','.repeat(100_000), 'x'.repeat(100_000)]) {
      const response = await gateway.request({
        method: 'OPTIONS',
        url: '/t/bank/echo',
        headers: { origin: TRUSTED, 'access-control-request-method': 'POST', 'access-control-request-headers': requested },
      });

      expect([204, 403]).toContain(response.statusCode);
      expect(response.headers['access-control-allow-headers'] ?? '').not.toContain('*');
    }
  });

  it('never sends * with credentials, whatever is requested', async () => {
    const response = await gateway.request({
      method: 'OPTIONS',
      url: '/t/bank/echo',
      headers: { origin: TRUSTED, 'access-control-request-method': 'GET', 'access-control-request-headers': '*' },
    });

    expect(Object.entries(response.headers).filter(([name, value]) => name.startsWith('access-control-') && value === '*')).toEqual([]);
  });
});
