/**
 * Part 2, proxy section (issue 19, items 2, 3, 4, 6, 9 and the info items): hostile requests
 * through a real gateway process to a real upstream that records what it receives. The
 * gateway runs with `UPSTREAM_ALLOWED_HOSTS=127.0.0.1`, `REQUEST_TIMEOUT_SECONDS=3` and
 * `UPSTREAM_MAX_CONNECTIONS=4` (see hostile.ts), so deadlines and a full upstream are reached
 * in seconds.
 */
import { connect } from 'node:net';
import { RecordingUpstream } from '../test/support/recording-upstream.js';
import type { AdminClient } from './lib/admin-client.js';
import { rawRequest } from './lib/raw-http.js';
import type { Checks } from './lib/results.js';

/** What the gateway side of hostile.ts shares with this section. */
export interface HostileProxyContext {
  readonly root: AdminClient;
  readonly gatewayPort: number;
  readonly checks: Checks;
}

const ESCAPES = [
  '/t/shop/x\\..\\..\\other/secret',
  '/t/shop/x\\.%2e\\.%2e\\other',
  '/t/shop/%2e%2e/other/secret',
  '/t/shop/.%2E/other/secret',
  '/t/shop/a/../../other/secret',
  '/t/shop/a%2f..%2f..%2fother',
  '/t/shop/a%5c..%5cother',
  '/t/shop/./x',
  '/t/shop/%zz',
];

/** Runs the section; returns how many hostile inputs it tried. */
export async function hostileProxy({ root, gatewayPort, checks }: HostileProxyContext): Promise<number> {
  let tried = 0;
  const held: (() => void)[] = [];
  const upstream = await RecordingUpstream.start((request, response) => {
    if (request.url === '/api/shop/hold') {
      held.push(() => response.end('released'));
      return true;
    }
    if (request.url !== '/api/shop/body') return false;
    // Answers only once the whole body is in, as an upload handler would.
    request.resume().on('end', () => response.end('received'));
    return true;
  });
  const get = (target: string, extra = '', host = 'gateway.test') =>
    rawRequest(gatewayPort, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`);
  try {
    await root.createTenant('shop', { upstreamUrl: `${upstream.origin}/api/shop`, hostnames: ['shop.hostile.test'] });
    await root.createTenant('other', { upstreamUrl: `${upstream.origin}/api/other` });
    await root.createTenant('loop', { upstreamUrl: `http://127.0.0.1:${gatewayPort}/t/loop` });

    for (const target of ESCAPES) {
      tried++;
      const before = upstream.received.length;
      const response = await get(target);
      checks.check(response.status === 400, `proxy path ${JSON.stringify(target)}: expected 400, got ${response.status}`);
      checks.check(upstream.received.length === before, `proxy path ${JSON.stringify(target)} reached the upstream`);
    }
    tried++;
    const absolute = await get('http://evil.example/x', '', 'shop.hostile.test');
    checks.check(absolute.status === 400, `an absolute-form request line: expected 400, got ${absolute.status}`);
    checks.check(
      upstream.received.every((request) => request.url.startsWith('/api/shop/') || request.url === '/api/shop'),
      `the upstream received a path outside /api/shop: ${upstream.received.map((request) => request.url).join(' ')}`,
    );

    for (const upstreamUrl of ['http://127.0.0.2/', 'http://169.254.169.254/latest', 'http://localhost:3000', 'http://[::1]/', 'http://0.0.0.0/']) {
      tried++;
      const response = await root.request('POST', '/tenants', { slug: 'refused-upstream', name: 'x', upstreamUrl });
      const field = (response.body as { invalidFields?: { field: string }[] } | undefined)?.invalidFields?.[0]?.field;
      checks.check(response.status === 400 && field === 'upstreamUrl', `upstream ${upstreamUrl}: expected 400 naming upstreamUrl, got ${response.status} ${field}`);
    }
    for (const hostname of ['10.1.2.3', 'localhost']) {
      tried++;
      const response = await root.request('POST', '/tenants', { slug: 'refused-host', name: 'x', hostnames: [hostname] });
      checks.check(response.status === 400, `tenant hostname ${hostname}: expected 400, got ${response.status}`);
    }

    tried++;
    upstream.received.length = 0;
    await get('/t/shop/x', 'X-Forwarded-For: 203.0.113.9\r\nX-Real-IP: 203.0.113.9\r\nForwarded: for=203.0.113.9\r\nX-Forwarded-Host: evil.test\r\n');
    const seen = upstream.received[0]?.headers;
    checks.check(
      seen?.['x-forwarded-for'] === '127.0.0.1' && seen['x-real-ip'] === '127.0.0.1' && !seen.forwarded && !seen['x-forwarded-host'],
      `spoofed forwarding headers reached the upstream: ${JSON.stringify(seen)}`,
    );

    tried++;
    const loop = await get('/t/loop/x');
    checks.check(loop.status === 508, `an upstream pointing at the gateway: expected 508, got ${loop.status}`);

    tried++;
    const big = await rawRequest(gatewayPort, `POST /t/shop/x HTTP/1.1\r\nHost: g\r\nContent-Type: text/plain\r\nContent-Length: ${11 * 1024 * 1024}\r\nConnection: close\r\n\r\n`);
    checks.check(big.status === 413, `an 11 MiB proxied body: expected 413, got ${big.status}`);

    tried++;
    const expectContinue = await rawRequest(gatewayPort, 'POST /t/shop/x HTTP/1.1\r\nHost: g\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\nok');
    // The raw reader stops at the first status line: 100 Continue, then the final answer in the "body".
    const finalStatus = expectContinue.status === 100 ? Number(/^HTTP\/1\.1 (\d{3})/.exec(expectContinue.body)?.[1] ?? 0) : expectContinue.status;
    checks.check(finalStatus === 200, `Expect: 100-continue: expected 200, got ${expectContinue.status} then ${finalStatus}`);

    tried++;
    const trickled = await trickle(gatewayPort);
    checks.check(trickled.startsWith('HTTP/1.1 408'), `a trickled body: expected 408 at the deadline, got ${JSON.stringify(trickled.slice(0, 40))}`);

    tried++;
    const holding = [1, 2, 3, 4].map(() => get('/t/shop/hold'));
    const deadline = Date.now() + 5000;
    while (held.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    const full = await rawRequest(gatewayPort, 'GET /t/shop/x HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n', 5000);
    const fullMs = performance.now() - started;
    for (const release of held.splice(0)) release();
    await Promise.all(holding);
    checks.check(full.status === 503 && full.headers.get('retry-after')?.[0] === '1', `a full upstream: expected 503 with Retry-After, got ${full.status}`);
    checks.check(fullMs < 2000, `a full upstream was answered in ${Math.round(fullMs)} ms, not at once`);

    tried++;
    upstream.received.length = 0;
    const cookie = await get('/t/shop/x', 'Cookie: t.other.sid=theirs; sid=global; t.shop.sid=mine\r\n');
    checks.check(cookie.status === 200, `a cookie-carrying request: expected 200, got ${cookie.status}`);
    checks.check(upstream.received[0]?.headers.cookie === 'sid=mine', `other tenants' cookies reached the upstream: ${upstream.received[0]?.headers.cookie}`);
    checks.check(/\bsandbox\b/.test(cookie.headers.get('content-security-policy')?.join(',') ?? ''), 'a /t/ proxied response without CSP sandbox');

    tried++;
    const noise = await get('/t/shop/x', '', 'x'.repeat(8192));
    checks.check(noise.status === 200, `an 8 KB Host on a /t/ path: expected 200, got ${noise.status}`);
  } finally {
    for (const release of held) release();
    await upstream.close();
  }
  return tried;
}

/** Sends a request whose body never completes; returns what the gateway answered. */
function trickle(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('POST /t/shop/body HTTP/1.1\r\nHost: g\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\nx'));
    let received = '';
    const ticker = setInterval(() => socket.write('x'), 1000);
    const give = setTimeout(() => socket.destroy(), 15_000);
    socket.on('data', (data: Buffer) => (received += data.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(ticker);
      clearTimeout(give);
      resolve(received);
    });
  });
}
