import { AppProcess } from './support/app-process.js';
import { freePort } from './support/free-port.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const GATEWAY = 'dist/apps/gateway/src/main.js';

// Readable lines for a person, JSON for machines; Nest's start-up narration only at debug.
describe('log format', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  });

  async function startGateway(env: Record<string, string>): Promise<string> {
    const gateway = AppProcess.start(GATEWAY, { DATABASE_URL: db.url, PORT: String(await freePort()), ...env });
    await gateway.waitForOutput('gateway listening on');
    expect(await gateway.stop()).toBe(0);
    return gateway.output();
  }

  it('writes readable lines with LOG_FORMAT=pretty, without Nest\'s start-up chatter', async () => {
    const output = await startGateway({ LOG_FORMAT: 'pretty' });

    expect(output).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(gateway\): gateway listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(output).not.toContain('{"level"');
    expect(output).not.toMatch(/Mapped \{|dependencies initialized/);
  }, 120_000);

  it('writes JSON when the output is piped, and Nest\'s chatter at debug level', async () => {
    const output = await startGateway({ LOG_LEVEL: 'debug' });
    const lines = output.trim().split('\n').map((line) => JSON.parse(line) as { level: number; msg: string });

    expect(lines.find((line) => line.msg.startsWith('gateway listening on'))?.level).toBe(30);
    const chatter = lines.filter((line) => /^Mapped \{|dependencies initialized/.test(line.msg));
    expect(chatter.length).toBeGreaterThan(0);
    expect(chatter.every((line) => line.level === 20)).toBe(true);
  }, 120_000);
});
