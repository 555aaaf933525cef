/**
 * Part 2: hostile input against real processes. A gateway gets malformed and tricky requests
 * over raw sockets (several Origin headers, 100 KB headers, odd bytes in header names,
 * lower-case methods, OPTIONS without Access-Control-Request-Method, `null`, look-alike
 * origins, plus a batch of generated origins judged by the oracle); the admin API gets its
 * validation cases, SQL- and script-like strings that must round-trip byte for byte, and
 * oversized bodies. After every request the processes must still be alive and serving.
 *
 *   npm run reliability:hostile -- [--generated 600] [--seed N]
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { hostileString, wellFormedOrigin } from '../test/arbitraries/cors.arbitraries.js';
import { REFUSED_ORIGIN_RULES, REFUSED_WITH_CREDENTIALS } from '../test/fixtures/refused-origin-rules.js';
import { hostileAdminSecurity } from './hostile-admin.js';
import type { AdminClient } from './lib/admin-client.js';
import { numberOption } from './lib/args.js';
import { oracleAllows } from './lib/origin-oracle.js';
import { repoRoot } from './lib/paths.js';
import { corsHeaderNames, type RawResponse, rawRequest } from './lib/raw-http.js';
import { Checks, writeResult } from './lib/results.js';
import { hostileProxy } from './hostile-proxy.js';
import { App, Database } from './lib/stack.js';

const started = Date.now();
const generatedCount = numberOption('generated', 600, { min: 0, max: 100_000 });
const seed = numberOption('seed', Date.now() % 2 ** 31, { min: 0, max: 2 ** 31 });
const checks = new Checks();

const TRUSTED = 'https://trusted.com';
const BANK_RULES = [
  { origin: TRUSTED },
  { origin: 'https://*.trusted.com' },
  { pattern: '^https://pr-[0-9]+\\.preview\\.trusted\\.com$', type: 'regex' },
] as const;

const database = await Database.create();
// The proxy section's upstream runs on 127.0.0.1; short deadlines and a small upstream pool
// make its timeouts and its full-upstream case take seconds (hostile-proxy.ts).
const admin = await App.admin(database, { UPSTREAM_ALLOWED_HOSTS: '127.0.0.1' });
const gateway = await App.gateway('gateway', database, {
  UPSTREAM_ALLOWED_HOSTS: '127.0.0.1',
  REQUEST_TIMEOUT_SECONDS: '3',
  UPSTREAM_MAX_CONNECTIONS: '4',
});
const root = admin.client();
const port = Number(new URL(gateway.url).port);

const counts = { gatewayInputs: 0, generatedOrigins: 0, adminInputs: 0, roundTrips: 0, crashes: 0, proxyInputs: 0 };
let inertRegexStatus = 0;

try {
  await root.createTenant('bank');
  const storedRules: { kind: 'exact' | 'wildcard' | 'regex'; value: string }[] = [];
  for (const rule of BANK_RULES) storedRules.push(await root.expect(201, 'POST', '/tenants/bank/origins', rule));
  await root.expect(200, 'PATCH', '/tenants/bank/policy', {
    version: 1,
    allowedMethods: ['GET', 'POST', 'PUT'],
    allowedHeaders: ['Content-Type', 'X-Api-Key'],
    allowCredentials: true,
  });
  await root.createTenant('sandbox');
  await root.addOrigin('sandbox', 'null');
  await root.addOrigin('sandbox', TRUSTED);
  await waitUntilServed();

  await hostileGateway(storedRules);
  await hostileAdmin(root);
  counts.proxyInputs = await hostileProxy({ root, gatewayPort: port, checks });
  counts.adminInputs += await hostileAdminSecurity({ admin, gateway, checks });
} catch (error) {
  checks.check(false, `the run stopped: ${(error as Error).stack ?? String(error)}`);
} finally {
  checks.check(gateway.alive, 'the gateway process died');
  checks.check(admin.alive, 'the admin process died');
  await gateway.stop();
  await admin.stop();
  await database.destroy();
}

await writeResult('hostile', started, checks.failures, {
  seed,
  hostileInputsTried: counts.gatewayInputs + counts.adminInputs + counts.proxyInputs,
  ...counts,
  inertRegexStatus,
});
process.exitCode = checks.failures.length === 0 ? 0 : 1;

// ---------------------------------------------------------------------------------------------

async function waitUntilServed(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const response = await send({ path: '/t/sandbox/echo', headers: [['Origin', 'null']] });
    if (response.headers.get('access-control-allow-origin')?.[0] === 'null') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the gateway never served the seeded policy');
}

interface RawCase {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: readonly (readonly [string, string])[];
  /** Replaces the whole request when the header block itself is the hostile part. */
  readonly raw?: Buffer;
}

function build({ method = 'GET', path = '/t/bank/echo', headers = [] }: RawCase): Buffer {
  const lines = [
    `${method} ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    ...headers.map(([n, v]) => `${n}: ${v}`),
    'Connection: close',
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

function send(request: RawCase): Promise<RawResponse> {
  return rawRequest(port, request.raw ?? build(request));
}

type Expectation =
  | { readonly allow: string; readonly status?: number } // 200 (or status) with Allow-Origin echoing it
  | 'refuse' // 403, no CORS headers
  | 'reject' // refused as malformed HTTP (4xx or closed), no CORS headers
  | 'refuse-or-reject'
  | 'plain' // 200 without CORS headers (no Origin)
  | 'safe'; // any answer but a 5xx, and no CORS headers unless 2xx

async function expectCase(name: string, request: RawCase, expected: Expectation): Promise<void> {
  counts.gatewayInputs++;
  let response: RawResponse;
  try {
    response = await send(request);
  } catch (error) {
    checks.check(false, `gateway ${name}: ${(error as Error).message}`);
    return;
  }
  const cors = corsHeaderNames(response.headers);
  const fail = (what: string) =>
    checks.check(
      false,
      `gateway ${name}: ${what} (status ${response.status}, CORS headers ${cors.join(',') || 'none'})`,
    );
  if (typeof expected === 'object') {
    const status = expected.status ?? 200;
    const allowOrigin = response.headers.get('access-control-allow-origin');
    if (response.status !== status) fail(`expected ${status}`);
    else if (allowOrigin?.length !== 1 || allowOrigin[0] !== expected.allow)
      fail(`expected Allow-Origin ${expected.allow}, got ${String(allowOrigin)}`);
    else if (!(response.headers.get('vary') ?? []).join(',').includes('Origin')) fail('no Vary: Origin');
    return;
  }
  const refused = response.status === 403;
  const rejected = response.status === 0 || (response.status >= 400 && response.status < 500);
  switch (expected) {
    case 'refuse':
      if (!refused) fail('expected 403');
      break;
    case 'reject':
      if (!rejected) fail('expected a 4xx refusal of malformed HTTP');
      break;
    case 'refuse-or-reject':
      if (!refused && !rejected) fail('expected 403 or a 4xx');
      break;
    case 'plain':
      if (response.status !== 200) fail('expected 200');
      break;
    case 'safe':
      if (response.status >= 500 || response.status === 0) fail('expected an answer below 500');
      if (response.status >= 200 && response.status < 300) return;
      break;
  }
  if (cors.length > 0) fail('CORS headers on a refusal or a plain answer');
}

async function stillServing(context: string): Promise<void> {
  const live = await fetch(`${gateway.url}/health/live`).then(
    (r) => r.status,
    () => 0,
  );
  if (!checks.check(gateway.alive && live === 200, `gateway not serving after ${context}`)) counts.crashes++;
}

async function hostileGateway(
  storedRules: readonly { kind: 'exact' | 'wildcard' | 'regex'; value: string }[],
): Promise<void> {
  const origin = (value: string, path = '/t/bank/echo'): RawCase => ({ path, headers: [['Origin', value]] });
  const preflight = (value: string, method: string, requestHeaders?: string, path = '/t/bank/echo'): RawCase => ({
    method: 'OPTIONS',
    path,
    headers: [
      ['Origin', value],
      ['Access-Control-Request-Method', method],
      ...(requestHeaders === undefined ? [] : [['Access-Control-Request-Headers', requestHeaders] as const]),
    ],
  });
  const big = (size: number) => `https://${'a'.repeat(size - 12)}.com`;

  const cases: [string, RawCase, Expectation][] = [
    // Several Origin headers: joined by Node as "a, b", which is no origin.
    [
      'two Origin headers, trusted first',
      {
        headers: [
          ['Origin', TRUSTED],
          ['Origin', 'https://evil.com'],
        ],
      },
      'refuse',
    ],
    [
      'two Origin headers, evil first',
      {
        headers: [
          ['Origin', 'https://evil.com'],
          ['Origin', TRUSTED],
        ],
      },
      'refuse',
    ],
    [
      'the trusted Origin twice',
      {
        headers: [
          ['Origin', TRUSTED],
          ['Origin', TRUSTED],
        ],
      },
      'refuse',
    ],
    ['a list in one Origin', origin(`${TRUSTED}, https://evil.com`), 'refuse'],
    [
      'two Origin headers on a preflight',
      {
        method: 'OPTIONS',
        headers: [
          ['Origin', TRUSTED],
          ['Origin', TRUSTED],
          ['Access-Control-Request-Method', 'PUT'],
        ],
      },
      'refuse',
    ],
    // Huge headers: past Node's 16 KB header limit the request is refused as a whole (431).
    ['a 100 KB Origin', origin(big(100_000)), 'reject'],
    ['a 100 KB Access-Control-Request-Headers', preflight(TRUSTED, 'PUT', 'x-a,'.repeat(25_000)), 'reject'],
    ['a 10 KB Origin', origin(big(10_000)), 'refuse'],
    ['a 10 KB Access-Control-Request-Headers', preflight(TRUSTED, 'PUT', 'x-api-key,'.repeat(1_000)), 'refuse'],
    [
      '5,000 commas in Access-Control-Request-Headers',
      preflight(TRUSTED, 'PUT', ','.repeat(5_000)),
      { allow: TRUSTED, status: 204 },
    ],
    [
      '150 header names requested',
      preflight(TRUSTED, 'PUT', Array.from({ length: 150 }, () => 'x-api-key').join(',')),
      'refuse',
    ],
    [
      'two Access-Control-Request-Headers',
      {
        method: 'OPTIONS',
        headers: [
          ['Origin', TRUSTED],
          ['Access-Control-Request-Method', 'PUT'],
          ['Access-Control-Request-Headers', 'x-api-key'],
          ['Access-Control-Request-Headers', 'content-type'],
        ],
      },
      { allow: TRUSTED, status: 204 },
    ],
    [
      'two Access-Control-Request-Headers, one not allowed',
      {
        method: 'OPTIONS',
        headers: [
          ['Origin', TRUSTED],
          ['Access-Control-Request-Method', 'PUT'],
          ['Access-Control-Request-Headers', 'x-api-key'],
          ['Access-Control-Request-Headers', 'x-evil'],
        ],
      },
      'refuse',
    ],
    // Odd bytes in header names and values.
    [
      'a control byte in a header name',
      {
        raw: Buffer.from(
          `GET /t/bank/echo HTTP/1.1\r\nHost: x\r\nX-\u0001Foo: 1\r\nOrigin: ${TRUSTED}\r\nConnection: close\r\n\r\n`,
          'latin1',
        ),
      },
      'reject',
    ],
    [
      'DEL in the Origin header name',
      {
        raw: Buffer.from(
          `GET /t/bank/echo HTTP/1.1\r\nHost: x\r\nOrig\u007fin: ${TRUSTED}\r\nConnection: close\r\n\r\n`,
          'latin1',
        ),
      },
      'reject',
    ],
    [
      'NUL in a header name',
      {
        raw: Buffer.from(
          `GET /t/bank/echo HTTP/1.1\r\nHost: x\r\nOrigin\u0000: ${TRUSTED}\r\nConnection: close\r\n\r\n`,
          'latin1',
        ),
      },
      'reject',
    ],
    [
      'UTF-8 in a header name',
      {
        raw: Buffer.from(
          `GET /t/bank/echo HTTP/1.1\r\nHost: x\r\nOrígin: ${TRUSTED}\r\nConnection: close\r\n\r\n`,
          'utf8',
        ),
      },
      'reject',
    ],
    [
      'a space before the colon',
      {
        raw: Buffer.from(
          `GET /t/bank/echo HTTP/1.1\r\nHost: x\r\nOrigin : ${TRUSTED}\r\nConnection: close\r\n\r\n`,
          'latin1',
        ),
      },
      'reject',
    ],
    [
      'a bare LF between headers',
      {
        raw: Buffer.from(
          `GET /t/bank/echo HTTP/1.1\r\nHost: x\nOrigin: https://evil.com\r\nConnection: close\r\n\r\n`,
          'latin1',
        ),
      },
      'refuse-or-reject',
    ],
    [
      'a header folded onto the next line',
      {
        raw: Buffer.from(
          `GET /t/bank/echo HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.com\r\n ${TRUSTED}\r\nConnection: close\r\n\r\n`,
          'latin1',
        ),
      },
      'refuse-or-reject',
    ],
    ['a control byte in the Origin value', origin(`${TRUSTED}\u0001`), 'refuse-or-reject'],
    ['NUL in the Origin value', origin(`https://TRUSTED.com\u0000.evil.com`), 'refuse-or-reject'],
    [
      'Latin-1 bytes in the Origin value',
      {
        raw: Buffer.from(
          `GET /t/bank/echo HTTP/1.1\r\nHost: x\r\nOrigin: https://trusted.c\u00f6m\r\nConnection: close\r\n\r\n`,
          'latin1',
        ),
      },
      'refuse-or-reject',
    ],
    // Methods.
    ['a lower-case GET', { method: 'get', headers: [['Origin', TRUSTED]] }, 'reject'],
    ['a mixed-case Get', { method: 'Get', headers: [['Origin', TRUSTED]] }, 'reject'],
    ['a lower-case preflight', { ...preflight(TRUSTED, 'PUT'), method: 'options' }, 'reject'],
    [
      'a lower-case requested method (normalised like a browser)',
      preflight(TRUSTED, 'put'),
      { allow: TRUSTED, status: 204 },
    ],
    ['a requested method not allowed', preflight(TRUSTED, 'DELETE'), 'refuse'],
    ['a forbidden requested method', preflight(TRUSTED, 'TRACE'), 'refuse'],
    ['an invented method', { method: 'FOO', headers: [['Origin', 'https://evil.com']] }, 'refuse-or-reject'],
    ['an allowed method from an evil origin', { method: 'PUT', headers: [['Origin', 'https://evil.com']] }, 'refuse'],
    // OPTIONS without Access-Control-Request-Method is an ordinary request, and methods are
    // enforced as written (SPEC "Policy depth"): OPTIONS is not in this tenant's list.
    [
      'OPTIONS without ACRM from the trusted origin, OPTIONS not allowed',
      { method: 'OPTIONS', headers: [['Origin', TRUSTED]] },
      'refuse',
    ],
    [
      'OPTIONS without ACRM from an evil origin',
      { method: 'OPTIONS', headers: [['Origin', 'https://evil.com']] },
      'refuse',
    ],
    ['OPTIONS without Origin', { method: 'OPTIONS' }, 'plain'],
    ['a request without Origin', {}, 'plain'],
    // null.
    ['Origin: null where null is not listed', origin('null'), 'refuse'],
    ['Origin: null where null is listed', origin('null', '/t/sandbox/echo'), { allow: 'null' }],
    ['Origin: NULL (not the literal)', origin('NULL', '/t/sandbox/echo'), 'refuse'],
    [
      'a preflight from null where null is listed',
      preflight('null', 'POST', undefined, '/t/sandbox/echo'),
      { allow: 'null', status: 204 },
    ],
    // Look-alike origins.
    ['a suffix domain', origin('https://trusted.com.evil.com'), 'refuse'],
    ['a fragment trick', origin('https://evil.com#@trusted.com'), 'refuse'],
    ['an encoded dot', origin('https://trusted.com%2eevil.com'), 'refuse'],
    ['the trailing dot of the DNS root', origin('https://trusted.com.'), { allow: 'https://trusted.com.' }],
    ['upper case', origin('HTTPS://TRUSTED.COM'), { allow: 'HTTPS://TRUSTED.COM' }],
    ['the default port', origin('https://trusted.com:443'), { allow: 'https://trusted.com:443' }],
    ['another port', origin('https://trusted.com:8443'), 'refuse'],
    ['another scheme', origin('http://trusted.com'), 'refuse'],
    ['a path trick', origin('https://evil.com/.trusted.com'), 'refuse'],
    ['userinfo', origin('https://trusted.com@evil.com'), 'refuse'],
    ['a prefix domain', origin('https://eviltrusted.com'), 'refuse'],
    ['a port trick', origin('https://trusted.com:443.evil.com'), 'refuse'],
    ['a backslash', origin('https://evil.com\\.trusted.com'), 'refuse'],
    ['two trailing dots', origin('https://trusted.com..'), 'refuse'],
    ['a subdomain (wildcard)', origin('https://app.trusted.com'), { allow: 'https://app.trusted.com' }],
    ['a deep subdomain (wildcard)', origin('https://a.b.c.trusted.com'), { allow: 'https://a.b.c.trusted.com' }],
    ['the wildcard base with a dot prefix', origin('https://.trusted.com'), 'refuse'],
    ['a regex match', origin('https://pr-42.preview.trusted.com'), { allow: 'https://pr-42.preview.trusted.com' }],
    ['a regex near miss', origin('https://pr-42.preview.trusted.com.evil.com'), 'refuse'],
    ['a regex near miss (letters)', origin('https://pr-4a.preview.trusted.co'), 'refuse'],
    ['IDN look-alike (Cyrillic)', origin('https://trustеd.com'), 'refuse-or-reject'],
    ['an IPv6 origin', origin('https://[::1]'), 'refuse'],
    ['an empty Origin', origin(''), 'refuse'],
    ['whitespace around the trusted origin (trimmed by HTTP)', origin(`  ${TRUSTED}\t`), { allow: TRUSTED }],
    // Paths, from an origin no tenant allows: whatever the route, no CORS headers.
    ['a dot-dot path into another tenant', origin('https://evil.com', '/t/sandbox/../bank/echo'), 'safe'],
    ['a dot-dot path, trusted by the first tenant only', origin('null', '/t/bank/../sandbox/echo'), 'safe'],
    ['an upper-case slug', origin('https://evil.com', '/t/BANK/echo'), 'safe'],
    ['an encoded slash in the path', origin('https://evil.com', '/t/bank%2Fecho'), 'safe'],
    ['an unknown tenant', origin(TRUSTED, '/t/nobody/echo'), 'safe'],
    ['a 10 KB path', origin('https://evil.com', `/t/bank/${'x'.repeat(10_000)}`), 'safe'],
    ['an absolute-form target', origin('https://evil.com', 'http://127.0.0.1/t/bank/echo'), 'refuse-or-reject'],
  ];
  for (const [name, request, expected] of cases) {
    await expectCase(name, request, expected);
    await stillServing(name);
  }

  // Generated origins (valid-looking and hostile), each judged by the oracle on the value the
  // server sees (HTTP trims surrounding whitespace).
  const generated = fc.sample(
    fc.oneof(
      wellFormedOrigin,
      wellFormedOrigin.map((o) => o.replace('example', 'trusted')),
      hostileString,
    ),
    { numRuns: generatedCount, seed },
  );
  for (const [i, value] of generated.entries()) {
    counts.generatedOrigins++;
    const sent = Buffer.from(value, 'latin1').toString('latin1');
    const seen = sent.replace(/^[ \t]+|[ \t]+$/g, '');
    const malformed = /[\u0000-\u0008\u000a-\u001f\u007f]/.test(sent) || /[^\u0000-\u00ff]/.test(value);
    if (malformed || seen === '') {
      await expectCase(`generated origin ${JSON.stringify(value.slice(0, 80))}`, origin(sent), 'refuse-or-reject');
    } else {
      const allowed = oracleAllows(storedRules, seen, true);
      await expectCase(
        `generated origin ${JSON.stringify(value.slice(0, 80))}`,
        { headers: [['Origin', sent]] },
        allowed ? { allow: seen } : 'refuse',
      );
    }
    if (i % 50 === 0) await stillServing(`generated origin ${i}`);
  }
  await stillServing('the generated origins');
  // And the ordinary request still gets its headers.
  await expectCase('the trusted origin, after everything', origin(TRUSTED), { allow: TRUSTED });
}

// ---------------------------------------------------------------------------------------------

async function hostileAdmin(client: AdminClient): Promise<void> {
  const problem = async (
    name: string,
    method: string,
    path: string,
    body: unknown,
    status: number,
    field?: string,
    headers?: Record<string, string>,
  ) => {
    counts.adminInputs++;
    const response = await client.request(method, path, body, headers);
    const fields =
      (response.body as { invalidFields?: { field: string }[] } | undefined)?.invalidFields?.map((f) => f.field) ?? [];
    checks.check(
      response.status === status,
      `admin ${name}: expected ${status}, got ${response.status}: ${response.text.slice(0, 300)}`,
    );
    checks.check(
      (response.headers.get('content-type') ?? '').includes('application/problem+json'),
      `admin ${name}: not problem+json`,
    );
    if (field !== undefined)
      checks.check(fields.includes(field), `admin ${name}: expected invalid field ${field}, got ${fields.join(',')}`);
    checks.check(admin.alive, `admin died after ${name}`);
  };
  const policy = (await client.expect(200, 'GET', '/tenants/bank/policy')) as { version: number };
  const json = { 'content-type': 'application/json' };

  // The admin issue's validation cases.
  const tenantCases: [unknown, string][] = [
    [{ slug: 'Bad Slug', name: 'x' }, 'slug'],
    [{ slug: '-x', name: 'x' }, 'slug'],
    [{ slug: 'a'.repeat(64), name: 'x' }, 'slug'],
    [{ slug: "x'; DROP TABLE tenants; --", name: 'x' }, 'slug'],
    [{ slug: '<script>', name: 'x' }, 'slug'],
    [{ slug: 'okay', name: '' }, 'name'],
    [{ slug: 'okay', name: 'x'.repeat(201) }, 'name'],
    [{ slug: 'okay', name: 'x', hostnames: ['api.example.com:8443'] }, 'hostnames[0]'],
    [{ slug: 'okay', name: 'x', hostnames: ['https://x.example.com'] }, 'hostnames[0]'],
    [{ slug: 'okay', name: 'x', hostnames: ["evil.com'; --"] }, 'hostnames[0]'],
    [{ slug: 'okay', name: 'x', upstreamUrl: 'javascript:alert(1)' }, 'upstreamUrl'],
    [{ slug: 'okay', name: 'x', upstreamUrl: 'https://user:pw@backend.example.com' }, 'upstreamUrl'],
    [{ slug: 'okay', name: 'x', extra: true }, 'extra'],
    [[1, 2], 'body'],
  ];
  for (const [body, field] of tenantCases)
    await problem(`POST /tenants ${JSON.stringify(body).slice(0, 60)}`, 'POST', '/tenants', body, 400, field);
  await problem(
    'a prototype-polluting body',
    'POST',
    '/tenants',
    '{"slug":"proto","name":"x","__proto__":{"isRoot":true}}',
    400,
    undefined,
    json,
  );
  await problem('a duplicate slug', 'POST', '/tenants', { slug: 'bank', name: 'again' }, 409);

  const originCases: (readonly [unknown, string])[] = [
    ...REFUSED_ORIGIN_RULES,
    // The bank allows credentials: null and regexes reaching beyond trusted.com are refused.
    ...REFUSED_WITH_CREDENTIALS,
    [{ origin: "https://a.com'; DROP TABLE tenants; --" }, 'origin'],
    [{ origin: 'https://<script>alert(1)</script>.com' }, 'origin'],
    [{ origin: 'javascript:alert(1)' }, 'origin'],
    [{ origin: 'https://trusted.com%2eevil.com' }, 'origin'],
    [{ origin: 'https://evil.com#@trusted.com' }, 'origin'],
    [{ origin: 'https://a.com\u0000' }, 'origin'],
    [{ origin: 5 }, 'origin'],
    [{ pattern: '^https://(a+)+\\.example\\.com$', type: 'regex' }, 'pattern'],
    [{ pattern: '^https?://(?:(?:[a-z]|[a-z-])+)+x$', type: 'regex' }, 'pattern'],
    [{ pattern: "^https://a'; DROP TABLE tenants; --$", type: 'regex' }, 'pattern'],
    [{ pattern: '^https://a\\.example\\.com$', type: 'glob' }, 'type'],
  ];
  for (const [body, field] of originCases)
    await problem(
      `POST origins ${JSON.stringify(body).slice(0, 60)}`,
      'POST',
      '/tenants/bank/origins',
      body,
      400,
      field,
    );
  await problem('a duplicate origin', 'POST', '/tenants/bank/origins', { origin: 'HTTPS://TRUSTED.COM:443/' }, 409);
  await problem('origin * with credentials', 'POST', '/tenants/bank/origins', { origin: '*' }, 400);
  await problem(
    'PUT origins with one bad rule',
    'PUT',
    '/tenants/bank/origins',
    { origins: [{ origin: 'https://ok.example.com' }, { origin: 'https://bad.example.com/x' }] },
    400,
    'origins[1]',
  );
  // A regex that can never match an origin (no host has < or /) is valid syntax: accepted,
  // stored and returned byte for byte, and inert. Recorded, not failed (see the report).
  counts.adminInputs++;
  const inert = await client.request('POST', '/tenants/sandbox/origins', {
    pattern: '^https://<script>alert(1)</script>$',
    type: 'regex',
  });
  inertRegexStatus = inert.status;
  if (inert.status === 201) {
    checks.check(
      (inert.body as { value: string }).value === '^https://<script>alert(1)</script>$',
      'admin: a script-like regex was not returned byte for byte',
    );
    await client.expect(204, 'DELETE', `/tenants/sandbox/origins/${(inert.body as { id: string }).id}`);
  }

  const policyCases: [unknown, string][] = [
    [{ maxAge: -1 }, 'maxAge'],
    [{ maxAge: 86_401 }, 'maxAge'],
    [{ maxAge: 1.5 }, 'maxAge'],
    [{ maxAge: '600' }, 'maxAge'],
    [{ allowedMethods: ['GET', 'TRACE'] }, 'allowedMethods[1]'],
    [{ allowedMethods: ["GET'; DROP TABLE tenants; --"] }, 'allowedMethods[0]'],
    [{ allowedHeaders: ['X-Ok', 'X Bad'] }, 'allowedHeaders[1]'],
    [{ allowedHeaders: ['<script>'] }, 'allowedHeaders[0]'],
    [{ allowedHeaders: ['X-Ok\r\nSet-Cookie: a=b'] }, 'allowedHeaders[0]'],
    [{ exposedHeaders: 'X-Request-Id' }, 'exposedHeaders'],
    [{ exposedHeaders: Array.from({ length: 101 }, (_, i) => `X-${i}`) }, 'exposedHeaders'],
    [{ mode: 'audit' }, 'mode'],
    [{ allowCredentials: 'yes' }, 'allowCredentials'],
    [{ origins: [] }, 'origins'],
    [{ exposedHeaders: ['*'] }, 'exposedHeaders'],
  ];
  for (const [body, field] of policyCases) {
    await problem(
      `PATCH policy ${JSON.stringify(body).slice(0, 60)}`,
      'PATCH',
      '/tenants/bank/policy',
      { ...(body as object), version: policy.version },
      400,
      field,
    );
  }
  await problem(
    'a stale policy version',
    'PATCH',
    '/tenants/bank/policy',
    { maxAge: 60, version: policy.version + 7 },
    412,
  );
  await problem('a malformed If-Match', 'PATCH', '/tenants/bank/policy', { maxAge: 60 }, 400, undefined, {
    'if-match': "'; DROP TABLE",
  });
  await problem('malformed JSON', 'POST', '/tenants', '{"slug":', 400, undefined, json);
  await problem('a form body', 'POST', '/tenants', 'slug=acme&name=x', 415, undefined, {
    'content-type': 'application/x-www-form-urlencoded',
  });
  await problem('an XML body', 'POST', '/tenants', '<tenant><slug>x</slug></tenant>', 415, undefined, {
    'content-type': 'application/xml',
  });
  await problem(
    'an origin id that is SQL',
    'DELETE',
    `/tenants/bank/origins/${encodeURIComponent("1' OR '1'='1")}`,
    undefined,
    404,
  );
  await problem('a slug that is SQL', 'GET', `/tenants/${encodeURIComponent("bank' OR '1'='1")}`, undefined, 404);
  await problem(
    'a search that is SQL',
    'GET',
    `/tenants?limit=${encodeURIComponent('1; DROP TABLE tenants')}`,
    undefined,
    400,
    'limit',
  );
  await problem(
    'a cursor that is SQL',
    'GET',
    `/tenants?cursor=${encodeURIComponent("' OR 1=1 --")}`,
    undefined,
    400,
    'cursor',
  );

  // Oversized bodies: 413, whatever the route or the transfer encoding.
  const huge = { slug: 'huge', name: 'x'.repeat(300_000) };
  await problem('a 300 KB tenant', 'POST', '/tenants', huge, 413);
  await problem(
    'a 300 KB origin list',
    'PUT',
    '/tenants/bank/origins',
    { origins: Array.from({ length: 10_000 }, (_, i) => ({ origin: `https://a${i}.example.com` })) },
    413,
  );
  await problem(
    'a 1 MB policy',
    'PATCH',
    '/tenants/bank/policy',
    { allowedHeaders: ['x'.repeat(1_000_000)], version: policy.version },
    413,
  );
  counts.adminInputs++;
  const chunked = await rawRequest(
    Number(new URL(admin.url).port),
    Buffer.concat([
      Buffer.from(
        `POST /api/v1/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${client.token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      ),
      ...Array.from({ length: 40 }, () => Buffer.from(`2000\r\n${' '.repeat(0x2000)}\r\n`)),
      Buffer.from('0\r\n\r\n'),
    ]),
  );
  checks.check(chunked.status === 413, `admin a 320 KB chunked body: expected 413, got ${chunked.status}`);

  // SQL- and script-like strings round-trip byte for byte, in names of tenants and API keys,
  // in the list, the search and the audit trail.
  const strings = [
    "'; DROP TABLE tenants; --",
    '<script>alert(1)</script>',
    'Robert\'); DROP TABLE "Tenant";--',
    '" onmouseover="alert(1)" x="',
    "1' OR '1'='1",
    '<img src=x onerror=alert(1)>',
    '{{7*7}} ${7*7} #{7*7}',
    '%00 %27 %3Cscript%3E',
    'back\\slash and "quotes" and `ticks`',
    '\u202egnp.exe',
    'Zażółć gęślą jaźń — 日本語 — 🚀👩‍👩‍👧',
    'tab\tinside and new\nline',
    '</textarea><svg/onload=alert(1)>',
    'javascript:alert(document.cookie)',
    '\\x00\\u0000 literal escapes',
  ];
  for (const [i, name] of strings.entries()) {
    counts.adminInputs++;
    const slug = `hostile-${i}`;
    const created = await client.request('POST', '/tenants', { slug, name });
    if (
      !checks.check(
        created.status === 201,
        `admin name ${JSON.stringify(name)}: expected 201, got ${created.status}: ${created.text.slice(0, 200)}`,
      )
    )
      continue;
    const read = (await client.expect(200, 'GET', `/tenants/${slug}`)) as { name: string };
    const search = (await client.expect(200, 'GET', `/tenants?search=${encodeURIComponent(name.slice(0, 20))}`)) as {
      items: { slug: string }[];
    };
    const key = (await client.expect(201, 'POST', `/tenants/${slug}/api-keys`, { name })) as { id: string };
    const keys = (await client.expect(200, 'GET', `/tenants/${slug}/api-keys`)) as {
      items: { id: string; name: string }[];
    };
    const patched = (await client.expect(200, 'PATCH', `/tenants/${slug}`, { name: `${name}!` })) as { name: string };
    const audit = await client.request('GET', `/tenants/${slug}/audit`);
    const ok =
      checks.check(
        read.name === name,
        `admin name ${JSON.stringify(name)} read back as ${JSON.stringify(read.name)}`,
      ) &&
      checks.check(
        search.items.some((t) => t.slug === slug),
        `admin name ${JSON.stringify(name)} not found by search`,
      ) &&
      checks.check(
        keys.items.find((k) => k.id === key.id)?.name === name,
        `admin API key name ${JSON.stringify(name)} not kept`,
      ) &&
      checks.check(patched.name === `${name}!`, `admin patched name ${JSON.stringify(name)} not kept`) &&
      checks.check(
        audit.status === 200 && audit.text.includes(JSON.stringify(name).slice(1, -1)),
        `admin audit of ${JSON.stringify(name)} lost the name`,
      );
    if (ok) counts.roundTrips++;
  }
  // Control characters PostgreSQL cannot store (NUL) must be a 400, not a 500.
  for (const name of ['nul\u0000inside', '\u0000']) {
    await problem(
      `a name with NUL ${JSON.stringify(name)}`,
      'POST',
      '/tenants',
      { slug: 'nul-name', name },
      400,
      'name',
    );
    await problem(
      `an API key name with NUL ${JSON.stringify(name)}`,
      'POST',
      '/tenants/bank/api-keys',
      { name },
      400,
      'name',
    );
  }
  await problem(
    'an upstream URL with NUL',
    'POST',
    '/tenants',
    { slug: 'nul-url', name: 'x', upstreamUrl: 'https://a.com/\u0000' },
    400,
    'upstreamUrl',
  );
  await problem(
    'a regex with NUL',
    'POST',
    '/tenants/bank/origins',
    { pattern: '^https://a\u0000\\.com$', type: 'regex' },
    400,
    'pattern',
  );
  await problem('a search with NUL', 'GET', '/tenants?search=%00', undefined, 400, 'search');
  await problem('a slug with NUL', 'GET', '/tenants/a%00b', undefined, 400);
  // LIKE wildcards in a search are literal.
  counts.adminInputs += 2;
  const percent = (await client.expect(200, 'GET', '/tenants?search=%25')) as { items: { slug: string }[] };
  checks.check(
    percent.items.every((t) => t.slug.startsWith('hostile-')),
    `admin: search "%" listed ${percent.items.map((t) => t.slug).join(',')}`,
  );

  // Nothing above broke anything: the tables are there and the tenant still works end to end.
  const list = (await client.expect(200, 'GET', '/tenants?limit=200')) as { items: unknown[] };
  checks.check(
    list.items.length === 2 + counts.roundTrips,
    `admin: expected ${2 + counts.roundTrips} tenants, listed ${list.items.length}`,
  );
  const check = (await client.expect(200, 'POST', '/tenants/bank/check', { origin: TRUSTED, method: 'PUT' })) as {
    allowed: boolean;
  };
  checks.check(check.allowed, 'admin: the bank tenant no longer allows its trusted origin');

  // The dashboard renders names as text: no raw-HTML sink in its sources.
  const sinks = await countHtmlSinks(join(repoRoot, 'apps/admin/src/dashboard/web/src'));
  checks.check(sinks.length === 0, `dashboard: raw-HTML sinks in ${sinks.join(', ')}`);
}

async function countHtmlSinks(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(tsx?|jsx?)$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    if (
      /dangerouslySetInnerHTML|\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML|document\.write/.test(
        await readFile(file, 'utf8'),
      )
    )
      found.push(file);
  }
  return found;
}
