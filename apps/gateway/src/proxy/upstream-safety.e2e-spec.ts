import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { rawRequest } from '../../../../reliability/lib/raw-http.js';
import { GatewayHarness } from '../../../../test/support/gateway-harness.js';
import { RecordingUpstream } from '../../../../test/support/recording-upstream.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { TenantSeed } from '../../../../test/support/tenant-seed.js';

/** Issue 19, items 4, 6 and 9 and the info items: what a proxied request may not do. */
describe('the upstream proxy under hostile or mistaken use', () => {
  let db: TestDatabase;
  let seed: TenantSeed;
  let upstream: RecordingUpstream;
  let elsewhere: RecordingUpstream;
  const held: (() => void)[] = [];
  let gateway: GatewayHarness;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = new TenantSeed(db.url);
    upstream = await RecordingUpstream.start((request, response) => {
      if (request.url === '/api/hold') {
        held.push(() => response.end('released'));
        return true;
      }
      if (request.url !== '/api/body') return false;
      let length = 0;
      request.on('data', (chunk: Buffer) => (length += chunk.length));
      request.on('end', () => response.end(JSON.stringify({ length })));
      return true;
    });
    elsewhere = await RecordingUpstream.start(undefined, '127.0.0.2');
    gateway = await GatewayHarness.start(db.url, {
      UPSTREAM_ALLOWED_HOSTS: '127.0.0.1',
      GATEWAY_BODY_LIMIT_BYTES: '1000',
      REQUEST_TIMEOUT_SECONDS: '2',
      UPSTREAM_MAX_CONNECTIONS: '2',
    });
    port = await gateway.listen();
    await seed.tenant('shop', { upstreamUrl: `${upstream.origin}/api` });
    await seed.tenant('loop', { upstreamUrl: `http://127.0.0.1:${port}/t/loop` });
    await seed.tenant('inner', { upstreamUrl: elsewhere.origin });
  });
  afterAll(async () => {
    for (const release of held) release();
    await gateway.close();
    await upstream.close();
    await elsewhere.close();
    await seed.close();
    await db.drop();
  });
  beforeEach(() => {
    upstream.received.length = 0;
  });

  const raw = (request: string) => rawRequest(port, request);

  describe('loops and refused upstreams (item 9)', () => {
    it('answers 508 when an upstream points back at the gateway, after one hop', async () => {
      const response = await raw('GET /t/loop/x HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n');

      expect(response.status).toBe(508);
      expect(JSON.parse(response.body)).toMatchObject({ status: 508, detail: expect.stringMatching(/points back/) });
    });

    it('answers 508 to a request that already carries the gateway Via token, before the upstream', async () => {
      const response = await raw('GET /t/shop/x HTTP/1.1\r\nHost: gw.test\r\nVia: 1.0 edge, 1.1 corsmesh\r\nConnection: close\r\n\r\n');

      expect(response.status).toBe(508);
      expect(upstream.received).toEqual([]);
    });

    it('does not trust an HTTPS upstream whose certificate it cannot verify', async () => {
      let reached = 0;
      const tls = createHttpsServer(
        { key: readFileSync('test/fixtures/tls/self-signed.key.pem'), cert: readFileSync('test/fixtures/tls/self-signed.cert.pem') },
        (_request, response) => {
          reached++;
          response.end('secret');
        },
      );
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
      try {
        await seed.tenant('tls', { upstreamUrl: `https://127.0.0.1:${(tls.address() as AddressInfo).port}` });

        const response = await raw('GET /t/tls/x HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n');

        expect(response.status).toBe(502);
        expect(reached).toBe(0);
      } finally {
        tls.close();
      }
    });

    it('refuses an upstream on a loopback address the operator did not list', async () => {
      const response = await raw('GET /t/inner/x HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n');

      expect(response.status).toBe(502);
      expect(JSON.parse(response.body).detail).toMatch(/UPSTREAM_ALLOWED_HOSTS/);
      expect(elsewhere.received).toEqual([]);
    });
  });

  describe('bodies (item 4 and the info items)', () => {
    it('passes an Expect: 100-continue upload on', async () => {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(`http://127.0.0.1:${port}/t/shop/body`, {
          method: 'POST',
          headers: { expect: '100-continue', 'content-type': 'application/octet-stream', 'content-length': '500' },
        });
        req.on('continue', () => req.end(Buffer.alloc(500, 1)));
        req.on('response', (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
      });

      expect(answer).toEqual({ status: 200, body: JSON.stringify({ length: 500 }) });
    });

    it('answers 413 to a declared body over the limit, before the upstream', async () => {
      const response = await raw(`POST /t/shop/body HTTP/1.1\r\nHost: gw.test\r\nContent-Type: text/plain\r\nContent-Length: 1001\r\nConnection: close\r\n\r\n${'x'.repeat(1001)}`);

      expect(response.status).toBe(413);
      expect(upstream.received).toEqual([]);
    });

    it('answers 413 to a chunked body that grows over the limit', async () => {
      const chunk = 'x'.repeat(600);
      const chunked = `${(600).toString(16)}\r\n${chunk}\r\n`.repeat(2) + '0\r\n\r\n';
      const response = await raw(`POST /t/shop/body HTTP/1.1\r\nHost: gw.test\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunked}`);

      expect(response.status).toBe(413);
    });

    it('answers 408 to a body still trickling in at the request deadline', async () => {
      const response = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write('POST /t/shop/body HTTP/1.1\r\nHost: gw.test\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nx');
        });
        let received = '';
        socket.on('data', (data: Buffer) => (received += data.toString()));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
        setTimeout(() => socket.destroy(new Error('no answer within 10 s')), 10_000).unref();
      });

      expect(response).toMatch(/^HTTP\/1\.1 408 /);
      expect(response).toMatch(/\r\nconnection: close\r\n/i);
    });
  });

  describe('slow bodies (item 4)', () => {
    /** Sends a body of `length` bytes one byte per `everyMs`, and resolves with the answer and when it came. */
    const trickle = (gatewayPort: number, length: number, everyMs: number) =>
      new Promise<{ response: string; afterMs: number }>((resolve, reject) => {
        const started = Date.now();
        const socket = connect(gatewayPort, '127.0.0.1', () => {
          socket.write(`POST /t/shop/body HTTP/1.1\r\nHost: gw.test\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`);
        });
        let sent = 0;
        const dripping = setInterval(() => {
          if (sent < length && !socket.destroyed) {
            socket.write('x');
            sent += 1;
          }
        }, everyMs);
        let received = '';
        socket.on('data', (data: Buffer) => (received += data.toString()));
        socket.on('close', () => {
          clearInterval(dripping);
          resolve({ response: received, afterMs: Date.now() - started });
        });
        socket.on('error', reject);
        setTimeout(() => socket.destroy(new Error('no answer within 20 s')), 20_000).unref();
      });

    it('answers 408 to a body arriving below the minimum rate, long before the request deadline', async () => {
      const slow = await GatewayHarness.start(db.url, { UPSTREAM_ALLOWED_HOSTS: '127.0.0.1', BODY_MIN_BYTES_PER_SECOND: '100' });
      const slowPort = await slow.listen();
      try {
        const { response, afterMs } = await trickle(slowPort, 1000, 100);

        expect(response).toMatch(/^HTTP\/1\.1 408 /);
        expect(response).toMatch(/slower than 100 bytes per second/);
        // The grace period is 5 s; the deadline (REQUEST_TIMEOUT_SECONDS) 60 s.
        expect(afterMs).toBeGreaterThanOrEqual(5000);
        expect(afterMs).toBeLessThan(15_000);
      } finally {
        await slow.close();
      }
    });

    it('passes a slow body that keeps above the minimum rate', async () => {
      const slow = await GatewayHarness.start(db.url, { UPSTREAM_ALLOWED_HOSTS: '127.0.0.1', BODY_MIN_BYTES_PER_SECOND: '5' });
      const slowPort = await slow.listen();
      try {
        const { response } = await trickle(slowPort, 70, 100);

        expect(response).toMatch(/^HTTP\/1\.1 200 /);
        expect(response).toContain(JSON.stringify({ length: 70 }));
      } finally {
        await slow.close();
      }
    });
  });

  describe('capacity (item 4)', () => {
    it('answers 503 with Retry-After at once when the upstream has no connection left', async () => {
      const holding = [1, 2].map(() => raw('GET /t/shop/hold HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n'));
      while (held.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));

      const refused = await rawRequest(port, 'GET /t/shop/x HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n', 2000);
      for (const release of held.splice(0)) release();
      const answered = await Promise.all(holding);
      const after = await raw('GET /t/shop/x HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n');

      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toEqual(['1']);
      expect(answered.map((response) => response.status)).toEqual([200, 200]);
      expect(after.status).toBe(200);
    });

    it('bounds the connections one client address holds open', async () => {
      const bounded = await GatewayHarness.start(db.url, { UPSTREAM_ALLOWED_HOSTS: '127.0.0.1', MAX_CONNECTIONS_PER_CLIENT: '3' });
      const boundedPort = await bounded.listen();
      const open: Socket[] = [];
      try {
        for (let i = 0; i < 3; i++) {
          open.push(await new Promise<Socket>((resolve) => { const socket = connect(boundedPort, '127.0.0.1', () => resolve(socket)); }));
        }
        const fourth = await rawRequest(boundedPort, 'GET /t/shop/x HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n', 5000);
        for (const socket of open.splice(0)) socket.destroy();
        await new Promise((resolve) => setTimeout(resolve, 50));
        const later = await rawRequest(boundedPort, 'GET /t/shop/x HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n', 5000);

        expect(fourth.status).toBe(503);
        expect(fourth.headers.get('retry-after')).toEqual(['1']);
        expect(later.status).toBe(200);
      } finally {
        for (const socket of open) socket.destroy();
        await bounded.close();
      }
    });
  });

  describe('behind a trusted proxy (item 6)', () => {
    it("passes the proxy's X-Forwarded-For chain and Forwarded on, appending the peer", async () => {
      const trusting = await GatewayHarness.start(db.url, { UPSTREAM_ALLOWED_HOSTS: '127.0.0.1', TRUST_PROXY: '127.0.0.1' });
      const trustingPort = await trusting.listen();
      try {
        await rawRequest(
          trustingPort,
          'GET /t/shop/x HTTP/1.1\r\nHost: gw.test\r\nX-Forwarded-For: 203.0.113.9\r\nForwarded: for=203.0.113.9\r\nConnection: close\r\n\r\n',
        );

        expect(upstream.received[0]!.headers).toMatchObject({
          'x-forwarded-for': '203.0.113.9, 127.0.0.1',
          'x-real-ip': '203.0.113.9',
          forwarded: 'for=203.0.113.9',
        });
      } finally {
        await trusting.close();
      }
    });
  });
});
