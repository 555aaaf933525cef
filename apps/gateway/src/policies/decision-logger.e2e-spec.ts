import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { TenantSeed } from '../../../../test/support/tenant-seed.js';
import { loadGatewayConfig } from '../config/gateway.config.js';
import { createGatewayApp } from '../gateway.app.js';
import { LOGGED_ORIGIN_MAX } from './decision-logger.js';

describe('refusal log lines', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const seed = new TenantSeed(db.url);
    await seed.tenant('bank', { origins: [{ kind: 'exact', value: 'https://trusted.com' }] });
    await seed.close();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('carry a 16 KB Origin cut to a bounded length, saying how long it was (issue 19, info)', async () => {
    const lines: { msg: string; origin?: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { msg: string; origin?: string });
        done();
      },
    });
    const app = await createGatewayApp(loadGatewayConfig({ DATABASE_URL: db.url }), pino({ level: 'info' }, sink));
    try {
      const origin = `https://${'a'.repeat(16_000)}.com`;
      const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/t/bank/echo', headers: { origin } });
      await new Promise((resolve) => setImmediate(resolve));

      expect(response.statusCode).toBe(403);
      const refusal = lines.find((line) => line.msg === 'cors refused');
      expect(refusal?.origin?.startsWith(origin.slice(0, LOGGED_ORIGIN_MAX))).toBe(true);
      expect(refusal?.origin).toMatch(new RegExp(`…\\[truncated, ${origin.length} characters\\]$`));
      expect(refusal!.origin!.length).toBeLessThan(LOGGED_ORIGIN_MAX + 40);
    } finally {
      await app.close();
    }
  });
});
