import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { AppProcess } from './support/app-process.js';
import { freePort } from './support/free-port.js';

// `npm start` as a user runs it: the compiled launcher (built by `npm test`), no DATABASE_URL.
const LAUNCHER = 'dist/apps/launcher/src/main.js';

async function startLauncher(env: Record<string, string>): Promise<AppProcess> {
  const launcher = AppProcess.start(LAUNCHER, env);
  await launcher.waitForOutput('Press Ctrl-C to stop.', 150_000);
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

function postmasterPid(clusterDir: string): number {
  return Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** Where the banner says the data lives. */
function clusterDirOf(launcher: AppProcess): string {
  const dir = /data in (\S+)/.exec(launcher.output())?.[1];
  if (!dir) throw new Error(`no data location in:\n${launcher.output()}`);
  return dir;
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer().listen(port, '127.0.0.1', () => resolve(server));
  });
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
  let clusterDir: string | undefined;
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    // As root with DATA_DIR in a private folder, the cluster lives under /var/lib/corsmesh.
    if (clusterDir && !clusterDir.startsWith(dataDir)) await rm(join(clusterDir, '..'), { recursive: true, force: true });
  });

  it('serves both apps on an embedded database, keeps data across a restart and stops cleanly', async () => {
    const first = await startLauncher(env);
    expect(first.output()).toContain(`Gateway:      http://127.0.0.1:${env.PORT}`);
    expect(first.output()).toContain(`Admin API:    http://127.0.0.1:${env.ADMIN_PORT}/api/v1`);
    const tokenFile = join(dataDir, 'admin-token');
    expect(first.output()).toContain(`Admin token:  in ${tokenFile} (generated on this first start)`);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token).toMatch(/^cmr_/);
    expect(first.output()).not.toContain(token);
    clusterDir = clusterDirOf(first);
    expect(first.output()).toContain(`Database:     embedded PostgreSQL on 127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}, data in ${clusterDir}`);
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
    const firstPostgres = postmasterPid(clusterDir);

    expect(await first.stop('SIGINT')).toBe(0);
    expect(isRunning(firstPostgres)).toBe(false);
    expect(existsSync(join(clusterDir, 'postmaster.pid'))).toBe(false);

    const second = await startLauncher(env);
    expect(second.output()).not.toContain(token);
    expect(second.output()).toContain(`Admin token:  in ${tokenFile}\n`);
    expect(clusterDirOf(second)).toBe(clusterDir);
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    const rows = await again.query('SELECT slug FROM tenants');
    await again.end();
    expect(rows.rows).toEqual([{ slug: 'kept' }]);
    const secondPostgres = postmasterPid(clusterDir);
    // A second `npm start` on the same data while this one runs.
    const twice = await AppProcess.failure(LAUNCHER, { ...env, PORT: String(await freePort()), ADMIN_PORT: String(await freePort()), EMBEDDED_POSTGRES_PORT: String(await freePort()) });
    expect(twice.code).toBe(1);
    expect(twice.output).toBe(
      `corsmesh failed to start: another PostgreSQL (PID ${secondPostgres}) is already running on ${clusterDir}, probably another npm start of this project: stop it first\n`,
    );
    expect(await second.stop('SIGINT')).toBe(0);
    expect(isRunning(secondPostgres)).toBe(false);
  }, 300_000);

  it('says in one line that the embedded database port is in use, and exits with 1', async () => {
    const taken = await occupy(Number(env.EMBEDDED_POSTGRES_PORT));
    try {
      const { code, output } = await AppProcess.failure(LAUNCHER, env);
      expect(code).toBe(1);
      expect(output).toBe(
        `corsmesh failed to start: the embedded PostgreSQL cannot listen on 127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}: the port is in use; ` +
          'stop what uses it or set EMBEDDED_POSTGRES_PORT to a free port\n',
      );
    } finally {
      taken.close();
    }
  }, 120_000);
});
