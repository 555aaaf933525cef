import { staticPolicySource, tenantByHost, tenantByPath } from '#dynamic-cors';
import { type EmbeddingApp, type HttpAnswer, type Platform, PLATFORMS, startEmbeddingApp } from '../support/embedding-app.js';

const APP = 'https://app.acme.test';

const policies = () =>
  staticPolicySource({
    acme: {
      origins: [APP, 'https://*.acme.org'],
      allowedMethods: ['GET', 'HEAD', 'POST', 'PUT'],
      allowedHeaders: ['content-type', 'x-request-id'],
      exposedHeaders: ['x-request-id'],
      allowCredentials: true,
      maxAge: 600,
      timingAllowOrigin: true,
      pathRules: [
        { path: '/public/**', origins: ['*'], allowCredentials: false },
        { path: '/webhooks/**', disabled: true },
      ],
      hostnames: ['api.acme.test'],
    },
    quiet: { origins: [APP], mode: 'report-only', debugHeader: true, preflightStatus: 200 },
  });

/** What a CORS layer answers: the status, its headers, and a problem body. */
function corsPart(answer: HttpAnswer) {
  const headers = Object.fromEntries(
    Object.entries(answer.headers).filter(([name]) => name.startsWith('access-control-') || ['vary', 'timing-allow-origin', 'cors-decision', 'retry-after'].includes(name)),
  );
  const problem = String(answer.headers['content-type']).startsWith('application/problem+json') ? { contentType: answer.headers['content-type'], body: JSON.parse(answer.body) as unknown } : undefined;
  return { status: answer.status, headers, problem };
}

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** What the answer must be on both platforms (besides being the same on both). */
  readonly expect: (answer: HttpAnswer) => void;
}

const CASES: Case[] = [
  {
    name: 'an allowed actual request',
    method: 'GET',
    path: '/t/acme/echo',
    headers: { origin: APP },
    expect: (a) => {
      expect(a.status).toBe(200);
      expect(a.headers['access-control-allow-origin']).toBe(APP);
      expect(a.headers['access-control-allow-credentials']).toBe('true');
      expect(a.headers['access-control-expose-headers']).toBe('x-request-id');
      expect(a.headers['timing-allow-origin']).toBe(APP);
      expect(a.headers.vary).toContain('Origin');
      expect(JSON.parse(a.body)).toEqual({ tenant: 'acme', decision: 'actual' });
    },
  },
  {
    name: 'an allowed preflight, answered before routing',
    method: 'OPTIONS',
    path: '/t/acme/echo',
    headers: { origin: 'https://eu.acme.org', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    expect: (a) => {
      expect(a.status).toBe(204);
      expect(a.headers['access-control-allow-origin']).toBe('https://eu.acme.org');
      expect(a.headers['access-control-allow-methods']).toContain('PUT');
      expect(a.headers['access-control-allow-headers']).toContain('content-type');
      expect(a.headers['access-control-max-age']).toBe('600');
      expect(a.body).toBe('');
    },
  },
  {
    name: 'a refused origin, stopped with 403 before the handler',
    method: 'GET',
    path: '/t/acme/echo',
    headers: { origin: 'https://evil.test' },
    expect: (a) => {
      expect(a.status).toBe(403);
      expect(a.headers['access-control-allow-origin']).toBeUndefined();
      expect(JSON.parse(a.body)).toMatchObject({ status: 403, title: 'Forbidden', instance: '/t/acme/echo' });
    },
  },
  {
    name: 'a preflight for a method not allowed',
    method: 'OPTIONS',
    path: '/t/acme/echo?x=1',
    headers: { origin: APP, 'access-control-request-method': 'DELETE' },
    expect: (a) => {
      expect(a.status).toBe(403);
      expect(a.headers['access-control-allow-origin']).toBeUndefined();
      expect(JSON.parse(a.body)).toMatchObject({ status: 403, instance: '/t/acme/echo' });
    },
  },
  {
    name: 'a tenant that does not exist',
    method: 'GET',
    path: '/t/nobody/echo',
    headers: { origin: APP },
    expect: (a) => {
      expect(a.status).toBe(404);
      expect(a.headers['access-control-allow-origin']).toBeUndefined();
      expect(JSON.parse(a.body)).toMatchObject({ status: 404, detail: 'no such tenant' });
    },
  },
  {
    name: "the app's own route, untouched",
    method: 'GET',
    path: '/health',
    headers: { origin: 'https://evil.test' },
    expect: (a) => {
      expect(a.status).toBe(200);
      expect(a.headers.vary).toBeUndefined();
    },
  },
  {
    name: 'a handler that throws (the error keeps its CORS headers)',
    method: 'GET',
    path: '/t/acme/fails',
    headers: { origin: APP },
    expect: (a) => {
      expect(a.status).toBe(500);
      expect(a.headers['access-control-allow-origin']).toBe(APP);
    },
  },
  {
    name: "a handler's 404",
    method: 'GET',
    path: '/t/acme/missing',
    headers: { origin: APP },
    expect: (a) => {
      expect(a.status).toBe(404);
      expect(a.headers['access-control-allow-origin']).toBe(APP);
    },
  },
  {
    name: 'a path no route has',
    method: 'GET',
    path: '/t/acme/nowhere',
    headers: { origin: APP },
    expect: (a) => {
      expect(a.status).toBe(404);
      expect(a.headers['access-control-allow-origin']).toBe(APP);
    },
  },
  {
    name: 'a body the parser refuses (the CORS layer ran first)',
    method: 'POST',
    path: '/t/acme/echo',
    headers: { origin: APP, 'content-type': 'application/json' },
    body: '{"not json',
    expect: (a) => {
      expect(a.status).toBe(400);
      expect(a.headers['access-control-allow-origin']).toBe(APP);
    },
  },
  {
    name: 'a refused body never parsed',
    method: 'POST',
    path: '/t/acme/echo',
    headers: { origin: 'https://evil.test', 'content-type': 'application/json' },
    body: '{"not json',
    expect: (a) => expect(a.status).toBe(403),
  },
  {
    name: 'a path rule with its own origins (matched after /t/<slug>)',
    method: 'GET',
    path: '/t/acme/public/logo',
    headers: { origin: 'https://anyone.test' },
    expect: (a) => {
      expect(a.status).toBe(404);
      expect(a.headers['access-control-allow-origin']).toBe('*');
      expect(a.headers['access-control-allow-credentials']).toBeUndefined();
    },
  },
  {
    name: 'a path rule that turns CORS off',
    method: 'GET',
    path: '/t/acme/webhooks/in',
    headers: { origin: 'https://evil.test' },
    expect: (a) => {
      expect(a.status).toBe(404);
      expect(a.headers.vary).toBeUndefined();
    },
  },
  {
    name: 'a refusal in report-only mode, with the debug header',
    method: 'GET',
    path: '/t/quiet/echo',
    headers: { origin: 'https://evil.test' },
    expect: (a) => {
      expect(a.status).toBe(200);
      expect(a.headers['access-control-allow-origin']).toBeUndefined();
      expect(a.headers['cors-decision']).toMatch(/^refused; reason=origin_not_listed/);
    },
  },
  {
    name: 'a preflight answered 200 when the policy says so',
    method: 'OPTIONS',
    path: '/t/quiet/echo',
    headers: { origin: APP, 'access-control-request-method': 'POST' },
    expect: (a) => {
      expect(a.status).toBe(200);
      expect(a.headers['access-control-allow-origin']).toBe(APP);
    },
  },
  {
    name: 'a request without Origin',
    method: 'GET',
    path: '/t/acme/echo',
    expect: (a) => {
      expect(a.status).toBe(200);
      expect(a.headers['access-control-allow-origin']).toBeUndefined();
      expect(a.headers.vary).toContain('Origin');
    },
  },
];

describe('the library on Express and on Fastify (real HTTP)', () => {
  const apps = new Map<Platform, EmbeddingApp>();
  beforeAll(async () => {
    for (const platform of PLATFORMS) apps.set(platform, await startEmbeddingApp(platform, { source: policies(), tenant: tenantByPath() }));
  });
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
  });

  it.each(CASES.map((c) => [c.name, c] as const))('answers %s the same on both platforms', async (_name, c) => {
    const answers = await Promise.all(PLATFORMS.map((platform) => apps.get(platform)!.request(c.method, c.path, c.headers, c.body)));
    for (const answer of answers) c.expect(answer);
    expect(corsPart(answers[0]!)).toEqual(corsPart(answers[1]!));
  });
});

describe('tenants by Host, on both platforms', () => {
  it.each(PLATFORMS)('finds a tenant by its registered hostname and leaves other hosts alone (%s)', async (platform) => {
    const app = await startEmbeddingApp(platform, { source: policies(), tenant: tenantByHost({ baseDomain: 'apis.example.com' }) });
    try {
      const byHostname = await app.request('GET', '/t/acme/echo', { host: 'api.acme.test', origin: APP });
      expect(byHostname.headers['access-control-allow-origin']).toBe(APP);
      const bySubdomain = await app.request('GET', '/t/acme/echo', { host: 'quiet.apis.example.com', origin: APP });
      expect(bySubdomain.headers['access-control-allow-origin']).toBe(APP);
      expect(bySubdomain.headers['access-control-allow-credentials']).toBeUndefined();
      const unknownSubdomain = await app.request('GET', '/t/acme/echo', { host: 'nobody.apis.example.com', origin: APP });
      expect(unknownSubdomain.status).toBe(404);
      const ownHost = await app.request('GET', '/health', { host: 'localhost', origin: APP });
      expect(ownHost.status).toBe(200);
      expect(ownHost.headers.vary).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
