import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { AppProcess } from './support/app-process.js';
import { freePort } from './support/free-port.js';

// `npm start` as a user runs it: the compiled launcher (built by `npm test`), no DATABASE_URL.
const LAUNCHER = 'dist/apps/launcher/src/main.js';

async function startLauncher(env: Record<string, string>): Promise<AppProcess> {
  const launcher = AppProcess.start(LAUNCHER, env);
  await launcher.waitForOutput('Press Ctrl-C to stop.');
  return launcher;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

describe('npm start without DATABASE_URL', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'corsmesh-launcher-'));
    env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      ADMIN_PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves both apps on an embedded database, keeps data across a restart and stops cleanly', async () => {
    const first = await startLauncher(env);
    expect(first.output()).toContain(`Gateway:      http://127.0.0.1:${env.PORT}`);
    expect(first.output()).toContain(`Admin API:    http://127.0.0.1:${env.ADMIN_PORT}/api/v1`);
    const token = /Admin token:\s+(cmr_\S+)/.exec(first.output())?.[1];
    expect(token).toBeDefined();
    for (const port of [env.PORT, env.ADMIN_PORT]) {
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    }
    const credentials = JSON.parse(readFileSync(join(dataDir, 'embedded-postgres.json'), 'utf8')) as { user: string; password: string };
    const url = `postgresql://${credentials.user}:${credentials.password}@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/corsmesh`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`INSERT INTO tenants (id, slug, name, updated_at) VALUES (gen_random_uuid(), 'kept', 'Kept', now())`);
    await client.end();
    const firstPostgres = postmasterPid(dataDir);

    expect(await first.stop('SIGINT')).toBe(0);
    expect(isRunning(firstPostgres)).toBe(false);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await startLauncher(env);
    expect(second.output()).not.toContain(token);
    expect(second.output()).toContain(`Admin token:  in ${join(dataDir, 'admin-token')}`);
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    const rows = await again.query('SELECT slug FROM tenants');
    await again.end();
    expect(rows.rows).toEqual([{ slug: 'kept' }]);
    const secondPostgres = postmasterPid(dataDir);
    expect(await second.stop('SIGINT')).toBe(0);
    expect(isRunning(secondPostgres)).toBe(false);
  }, 120_000);

  it('names the bad variable and exits when the configuration is invalid', async () => {
    const launcher = AppProcess.start(LAUNCHER, { ...env, PORT: 'eighty' });

    expect(await launcher.exited()).toBe(1);
    expect(launcher.output()).toMatch(/invalid configuration:\n\s+PORT: must be a port number/);
  }, 60_000);
});
