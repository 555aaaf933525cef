import { AppProcess } from './support/app-process.js';
import { freePort } from './support/free-port.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const ADMIN_TOKEN = 'scale-out-root-token-0123456789';
const ORIGIN = 'https://app.scale.test';

// Production's shape: three gateway processes and one admin process on one database.
describe('three gateways and an admin, each its own process', () => {
  let db: TestDatabase;
  let admin: AppProcess;
  let adminUrl: string;
  const gateways: { process: AppProcess; url: string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const adminPort = await freePort();
    admin = AppProcess.start('dist/apps/admin/src/main.js', {
      DATABASE_URL: db.url,
      ADMIN_PORT: String(adminPort),
      ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
    });
    adminUrl = `http://127.0.0.1:${adminPort}`;
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      gateways.push({
        process: AppProcess.start('dist/apps/gateway/src/main.js', { DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'warn' }),
        url: `http://127.0.0.1:${port}`,
      });
    }
    await admin.waitForReady(`${adminUrl}/health/ready`);
    await Promise.all(gateways.map((gateway) => gateway.process.waitForReady(`${gateway.url}/health/ready`)));
  }, 90_000);
  afterAll(async () => {
    const codes = await Promise.all([admin, ...gateways.map((gateway) => gateway.process)].map((app) => app?.stop()));
    await db.drop();
    expect(codes).toEqual([0, 0, 0, 0]);
  });

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${adminUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  async function allowedEverywhere(): Promise<boolean[]> {
    return Promise.all(
      gateways.map(async (gateway) => {
        const response = await fetch(`${gateway.url}/t/scale/echo`, { headers: { origin: ORIGIN } });
        return response.headers.get('access-control-allow-origin') === ORIGIN;
      }),
    );
  }

  async function msUntil(expected: boolean): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < 5000) {
      if ((await allowedEverywhere()).every((allowed) => allowed === expected)) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return Infinity;
  }

  it('propagates an origin added and removed through the admin API to all three within a second', async () => {
    expect((await api('POST', '/tenants', { slug: 'scale', name: 'Scale' })).status).toBe(201);
    expect(await allowedEverywhere()).toEqual([false, false, false]);

    const added = await api('POST', '/tenants/scale/origins', { origin: ORIGIN });
    expect(added.status).toBe(201);
    expect(await msUntil(true)).toBeLessThan(1000);

    const { id } = (await added.json()) as { id: string };
    expect((await api('DELETE', `/tenants/scale/origins/${id}`)).status).toBe(204);
    expect(await msUntil(false)).toBeLessThan(1000);
  });
});
