import { createServer, type Server } from 'node:net';
import { AppProcess } from './support/app-process.js';
import { freePort } from './support/free-port.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const LAUNCHER = 'dist/apps/launcher/src/main.js';
const GATEWAY = 'dist/apps/gateway/src/main.js';
const ADMIN = 'dist/apps/admin/src/main.js';
const ADMIN_TOKEN = 'startup-failures-root-token-0123';
/** Each test starts a process (Nest, Prisma, migrations): seconds each, many on a busy machine. */
const PROCESS_TEST_TIMEOUT_MS = 120_000;

function occupy(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer().listen(port, '127.0.0.1', () => resolve(server));
  });
}

function withPassword(url: string, password: string): string {
  const changed = new URL(url);
  changed.password = password;
  return changed.toString();
}

// Each way a start can fail is one line on stderr naming the cause and the fix, exit code 1:
// no stack trace, no unhandled 'error' event. `npm start` here uses DATABASE_URL, so these
// need no embedded cluster of their own (launcher.e2e-spec.ts covers the embedded database's).
describe('start-up failures', () => {
  let migrated: TestDatabase;
  let unmigrated: TestDatabase;
  let ports: { gateway: number; admin: number };

  beforeAll(async () => {
    [migrated, unmigrated] = await Promise.all([createTestDatabase(), createTestDatabase({ migrated: false })]);
    ports = { gateway: await freePort(), admin: await freePort() };
  }, 60_000);
  afterAll(async () => {
    await Promise.all([migrated?.drop(), unmigrated?.drop()]);
  });

  const env = (overrides: Record<string, string> = {}) => ({
    DATABASE_URL: migrated.url,
    PORT: String(ports.gateway),
    ADMIN_PORT: String(ports.admin),
    ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
    ...overrides,
  });

  async function expectOneLine(script: string, environment: Record<string, string>, line: string | RegExp): Promise<void> {
    const { code, output } = await AppProcess.failure(script, environment);
    if (typeof line === 'string') expect(output).toBe(line + '\n');
    else expect(output).toMatch(line);
    expect(output.trimEnd().split('\n')).toHaveLength(1);
    expect(code).toBe(1);
  }

  it('npm start: names each invalid variable and what it must be', async () => {
    await expectOneLine(
      LAUNCHER,
      env({ PORT: 'eighty', ADMIN_PORT: 'eighty-one' }),
      'corsmesh failed to start: invalid configuration: PORT: must be a port number; ADMIN_PORT: must be a port number ' +
        '(fix these variables in the environment; .env.example lists them all)',
    );
  }, PROCESS_TEST_TIMEOUT_MS);

  it('npm run start:gateway: says that DATABASE_URL must be set', async () => {
    await expectOneLine(
      GATEWAY,
      { PORT: String(ports.gateway) },
      'gateway failed to start: invalid configuration: DATABASE_URL: must be set to a postgresql:// URL (fix it in the environment; .env.example lists them all)',
    );
  }, PROCESS_TEST_TIMEOUT_MS);

  it.each([
    ['npm start', LAUNCHER, 'corsmesh'],
    ['npm run start:gateway', GATEWAY, 'gateway'],
  ])('%s: says that DATABASE_URL cannot be reached', async (_command, script, who) => {
    const port = await freePort();
    await expectOneLine(
      script,
      env({ DATABASE_URL: `postgresql://corsmesh:secret@127.0.0.1:${port}/corsmesh` }),
      `${who} failed to start: cannot reach PostgreSQL at 127.0.0.1:${port}/corsmesh (connection refused): start PostgreSQL there, or fix the host and port in DATABASE_URL`,
    );
  }, PROCESS_TEST_TIMEOUT_MS);

  it('npm run start:gateway: says that DATABASE_URL has the wrong password, without showing it', async () => {
    const { code, output } = await AppProcess.failure(GATEWAY, env({ DATABASE_URL: withPassword(migrated.url, 'not-the-password') }));
    expect(output).toMatch(/^gateway failed to start: PostgreSQL at \S+ refused the password for user "[^"]+": fix the user name or password in DATABASE_URL\n$/);
    expect(output).not.toContain('not-the-password');
    expect(code).toBe(1);
  }, PROCESS_TEST_TIMEOUT_MS);

  it.each([
    ['npm start', 'gateway', LAUNCHER, 'corsmesh', 'PORT', 'gateway'],
    ['npm start', 'admin app', LAUNCHER, 'corsmesh', 'ADMIN_PORT', 'admin'],
    ['npm run start:gateway', 'gateway', GATEWAY, 'gateway', 'PORT', 'gateway'],
    ['npm run start:admin', 'admin', ADMIN, 'admin', 'ADMIN_PORT', 'admin'],
  ] as const)('%s: says that the %s port is in use', async (_command, name, script, who, variable, taken) => {
    const port = ports[taken];
    const server = await occupy(port);
    try {
      await expectOneLine(
        script,
        env(),
        `${who} failed to start: the ${name} cannot listen on 127.0.0.1:${port}: the port is in use; stop what uses it or set ${variable} to a free port`,
      );
    } finally {
      server.close();
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it('npm run start:admin: says that the database lacks migrations and how to apply them', async () => {
    await expectOneLine(
      ADMIN,
      env({ DATABASE_URL: unmigrated.url }),
      new RegExp(
        `^admin failed to start: the database at 127\\.0\\.0\\.1:\\d+/${unmigrated.name} lacks \\d+ migration\\(s\\) of this build \\(first: \\d{14}_\\w+\\): run \`npm run db:migrate\` with this DATABASE_URL, then start again\\n$`,
      ),
    );
  }, PROCESS_TEST_TIMEOUT_MS);
});
