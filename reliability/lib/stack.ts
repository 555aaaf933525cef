import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from '../../test/support/app-process.js';
import { freePort } from '../../test/support/free-port.js';
import { AdminClient } from './admin-client.js';
import { importBuilt, repoRoot } from './paths.js';

type DatabaseModule = typeof import('../../libs/database/src/index.js');

export const ROOT_TOKEN = 'reliability-root-token-0123456789abcdef';

/**
 * A real PostgreSQL of the campaign's own (embedded, in a temporary folder, on a free port),
 * migrated. `stop()` and `start()` again on the same folder and port simulate an outage or a
 * restart; `destroy()` removes everything.
 */
export class Database {
  private running: { stop(): Promise<void> } | null = null;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly module: DatabaseModule,
    public url = '',
  ) {}

  static async create(): Promise<Database> {
    const module = await importBuilt<DatabaseModule>('libs/database/src/index.ts');
    const database = new Database(await mkdtemp(join(tmpdir(), 'corsmesh-reliability-')), await freePort(), module);
    await database.start();
    await module.migrate({ databaseUrl: database.url });
    return database;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  async start(): Promise<void> {
    const embedded = await this.module.startEmbeddedDatabase({ dataDir: this.dataDir, port: this.port });
    this.url = embedded.url;
    this.running = embedded;
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = null;
    await running?.stop();
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** One app of the project in a process of its own, started from the build. */
export class App {
  private constructor(
    readonly name: string,
    readonly script: string,
    readonly env: Record<string, string>,
    readonly url: string,
    public process: AppProcess,
  ) {}

  static async gateway(name: string, database: Database, env: Record<string, string> = {}): Promise<App> {
    const port = await freePort();
    return App.launch(name, 'dist/apps/gateway/src/main.js', port, {
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    });
  }

  static async admin(database: Database, env: Record<string, string> = {}): Promise<App> {
    const port = await freePort();
    return App.launch('admin', 'dist/apps/admin/src/main.js', port, {
      DATABASE_URL: database.url,
      ADMIN_PORT: String(port),
      ADMIN_TOKEN: ROOT_TOKEN,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    });
  }

  private static async launch(name: string, script: string, port: number, env: Record<string, string>): Promise<App> {
    const app = new App(name, script, env, `http://127.0.0.1:${port}`, AppProcess.start(join(repoRoot, script), env));
    await app.process.waitForReady(`${app.url}/health/ready`);
    return app;
  }

  get pid(): number {
    return this.process.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.process.child.exitCode === null && this.process.child.signalCode === null;
  }

  /** Starts the same app again, same port and variables (after a crash or a kill). */
  async restart(): Promise<void> {
    this.process = AppProcess.start(join(repoRoot, this.script), this.env);
    await this.process.waitForReady(`${this.url}/health/ready`);
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    return this.process.stop(signal);
  }

  client(token = ROOT_TOKEN): AdminClient {
    return new AdminClient(this.url, token);
  }
}

/** Resident memory of a process in bytes, from /proc (Linux), or null elsewhere. */
export async function residentBytes(pid: number): Promise<number | null> {
  try {
    const { readFile } = await import('node:fs/promises');
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}
