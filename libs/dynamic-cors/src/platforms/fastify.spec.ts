import Fastify, { type FastifyInstance } from 'fastify';
import { corsOf, registerDynamicCors, staticPolicySource, tenantByPath, type PolicySource, type TenantKey } from '../index.js';

const APP = 'https://app.acme.test';

/** The static source, with its start and stop calls written down. */
function observedSource(calls: string[]): PolicySource<TenantKey> {
  const source = staticPolicySource({ acme: { origins: [APP], allowedMethods: ['GET', 'PUT'] } });
  return {
    forTenant: (key, request) => source.forTenant(key, request),
    start: async () => {
      calls.push('start');
    },
    stop: async () => {
      calls.push('stop');
    },
  };
}

describe('registerDynamicCors on a plain Fastify instance', () => {
  let app: FastifyInstance;
  const calls: string[] = [];

  beforeAll(async () => {
    app = Fastify();
    registerDynamicCors(app, { source: observedSource(calls), tenant: tenantByPath('/t/') });
    app.get('/t/:slug/orders', (request) => ({ tenant: corsOf(request)?.target.slug }));
    app.get('/health', () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('starts the source when the instance is ready', () => {
    expect(calls).toEqual(['start']);
  });

  it('answers a preflight before routing, and refuses an unlisted method', async () => {
    const allowed = await app.inject({ method: 'OPTIONS', url: '/t/acme/orders', headers: { origin: APP, 'access-control-request-method': 'PUT' } });
    const refused = await app.inject({ method: 'OPTIONS', url: '/t/acme/orders', headers: { origin: APP, 'access-control-request-method': 'DELETE' } });

    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-methods']).toBe('GET, PUT');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('decides actual requests for routes registered after it, and leaves other routes alone', async () => {
    const allowed = await app.inject({ method: 'GET', url: '/t/acme/orders', headers: { origin: APP } });
    const refused = await app.inject({ method: 'GET', url: '/t/acme/orders', headers: { origin: 'https://evil.test' } });
    const unknown = await app.inject({ method: 'GET', url: '/t/nobody/orders', headers: { origin: APP } });
    const own = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.test' } });

    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(APP);
    expect(allowed.json()).toEqual({ tenant: 'acme' });
    expect(refused.statusCode).toBe(403);
    expect(unknown.statusCode).toBe(404);
    expect(own.statusCode).toBe(200);
    expect(own.headers.vary).toBeUndefined();
  });

  it('stops the source when the instance closes', async () => {
    const other: string[] = [];
    const closing = Fastify();
    registerDynamicCors(closing, { source: observedSource(other), tenant: tenantByPath('/t/') });
    await closing.ready();
    await closing.close();

    expect(other).toEqual(['start', 'stop']);
  });
});
