import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createAdminApp } from '../../../../apps/admin/src/admin.app.js';
import { loadAdminConfig } from '../../../../apps/admin/src/config/admin.config.js';
import { createGatewayApp } from '../../../../apps/gateway/src/gateway.app.js';
import { loadGatewayConfig } from '../../../../apps/gateway/src/config/gateway.config.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { testLogger } from '../../../../test/support/silent-logger.js';

const apps: Record<string, (url: string) => Promise<NestFastifyApplication>> = {
  gateway: (url) => createGatewayApp(loadGatewayConfig({ DATABASE_URL: url }), testLogger()),
  admin: (url) => createAdminApp(loadAdminConfig({ DATABASE_URL: url, ADMIN_TOKEN: 'x'.repeat(32) }), testLogger()),
};

describe.each(Object.keys(apps))('health endpoints of the %s', (appName) => {
  const create = apps[appName]!;
  let db: TestDatabase;
  let app: NestFastifyApplication;

  afterEach(async () => {
    await app?.close();
    await db.drop();
  });

  const get = (url: string) => app.getHttpAdapter().getInstance().inject({ method: 'GET', url });

  it('is live and ready on a migrated database', async () => {
    db = await createTestDatabase();
    app = await create(db.url);

    expect((await get('/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await get('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().details.database.status).toBe('up');
  });

  it('is live but not ready while migrations are pending', async () => {
    db = await createTestDatabase({ migrated: false });
    app = await create(db.url);

    expect((await get('/health/live')).statusCode).toBe(200);
    const ready = await get('/health/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().details.database).toMatchObject({ status: 'down', message: 'migrations not applied' });
    expect(ready.json().details.database.pending).toContain('20261125130000_created_tenancy_and_policy_tables');
  });

  it('stops being ready when the database goes away', async () => {
    db = await createTestDatabase();
    app = await create(db.url);
    expect((await get('/health/ready')).statusCode).toBe(200);

    await db.drop();

    const ready = await get('/health/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().details.database.message).toMatch(/^database unreachable/);
    expect((await get('/health/live')).statusCode).toBe(200);
  });
});
