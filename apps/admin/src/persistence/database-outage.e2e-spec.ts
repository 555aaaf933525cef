import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { migrate, startEmbeddedDatabase, type EmbeddedDatabase } from '#database';
import { freePort } from '../../../../test/support/free-port.js';
import { testLogger } from '../../../../test/support/silent-logger.js';
import { createAdminApp } from '../admin.app.js';
import { loadAdminConfig } from '../config/admin.config.js';
import { AdminProblemDetailsFilter } from './admin-problem-details.filter.js';

const ROOT = 'outage-root-token-0123456789abcdef';

// A PostgreSQL server of this file's own, so it can be stopped without disturbing the others.
describe(AdminProblemDetailsFilter.name, () => {
  let dataDir: string;
  let port: number;
  let database: EmbeddedDatabase;
  let app: NestFastifyApplication;

  const start = () => startEmbeddedDatabase({ dataDir, port });
  const request = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    body?: unknown,
    token = ROOT,
    headers: Record<string, string> = {},
  ) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method,
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${token}`, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'corsmesh-admin-outage-'));
    port = await freePort();
    database = await start();
    await migrate({ databaseUrl: database.url });
    app = await createAdminApp(loadAdminConfig({ DATABASE_URL: database.url, ADMIN_TOKEN: ROOT }), testLogger());
    await app.init();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('catch', () => {
    it('answers writes during a database outage with 503 database_unavailable and keeps nothing of them', async () => {
      expect((await request('POST', '/tenants', { slug: 'steady', name: 'Steady' })).statusCode).toBe(201);
      const key = (await request('POST', '/tenants/steady/api-keys', { name: 'ops' })).json<{ secret: string }>();
      const auditBefore = (await request('GET', '/tenants/steady/audit')).json<{
        items: unknown[];
      }>().items.length;

      await database.stop();

      const attempts = [
        await request('POST', '/tenants', { slug: 'ghost', name: 'Ghost' }),
        await request('POST', '/tenants/steady/origins', {
          origin: 'https://app.ghost.test',
        }),
        await request('PUT', '/tenants/steady/origins', {
          origins: [{ origin: 'https://app.ghost.test' }],
        }),
        await request('PATCH', '/tenants/steady/policy', { allowCredentials: true }, ROOT, { 'if-match': '"1"' }),
        // A tenant key needs the database to be recognised: unavailable, not "unauthenticated".
        await request('GET', '/tenants/steady/origins', undefined, key.secret),
      ];
      for (const response of attempts) {
        expect(response.statusCode).toBe(503);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.headers['retry-after']).toBe('5');
        expect(response.json()).toMatchObject({
          status: 503,
          code: 'database_unavailable',
          detail: 'the database is unavailable right now, so nothing was changed; try again shortly',
        });
      }

      database = await start();

      expect((await request('GET', '/tenants/ghost')).statusCode).toBe(404);
      expect(
        (await request('GET', '/tenants/steady/origins')).json<{
          items: unknown[];
        }>().items,
      ).toEqual([]);
      expect((await request('GET', '/tenants/steady/policy')).json()).toMatchObject({
        version: 1,
        allowCredentials: false,
      });
      expect(
        (await request('GET', '/tenants/steady/audit')).json<{
          items: unknown[];
        }>().items,
      ).toHaveLength(auditBefore);
    }, 60_000);
  });
});
