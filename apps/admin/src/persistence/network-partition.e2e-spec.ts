import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { within } from '../../../../test/support/gateway-harness.js';
import { testLogger } from '../../../../test/support/silent-logger.js';
import { TcpProxy } from '../../../../test/support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { createAdminApp } from '../admin.app.js';
import { loadAdminConfig } from '../config/admin.config.js';
import { AdminProblemDetailsFilter } from './admin-problem-details.filter.js';

const ROOT = 'partition-root-token-0123456789abcdef';

// The admin app reaches PostgreSQL through a proxy that can lose every packet (issue 17), with
// its default timeouts: a partition must not hang a request, nor keep a pool slot for good.
describe(AdminProblemDetailsFilter.name, () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: NestFastifyApplication;

  const request = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${ROOT}` }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await TcpProxy.start(db.url);
    app = await createAdminApp(loadAdminConfig({ DATABASE_URL: proxy.url(db.url), ADMIN_TOKEN: ROOT }), testLogger());
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await db?.drop();
  });

  describe('catch', () => {
    it('answers 503 database_unavailable within 10 s during a partition, and works again once it heals', async () => {
      expect((await request('POST', '/tenants', { slug: 'before', name: 'Before' })).statusCode).toBe(201);

      proxy.blackhole();

      // More requests at once than the pool (5) has connections.
      const started = performance.now();
      const answers = await Promise.all([
        request('POST', '/tenants', { slug: 'during', name: 'During' }),
        request('POST', '/tenants/before/origins', { origin: 'https://app.during.test' }),
        ...Array.from({ length: 6 }, () => request('GET', '/tenants/before')),
      ]);
      expect(performance.now() - started).toBeLessThan(10_000);
      for (const answer of answers) {
        expect(answer.statusCode).toBe(503);
        expect(answer.headers['retry-after']).toBe('5');
        expect(answer.json()).toMatchObject({ code: 'database_unavailable' });
      }

      proxy.heal();

      await within(30_000, async () => (await request('GET', '/tenants/before')).statusCode === 200);
      expect((await request('POST', '/tenants', { slug: 'after', name: 'After' })).statusCode).toBe(201);
      expect((await request('GET', '/tenants/during')).statusCode).toBe(404);
    }, 60_000);
  });
});
