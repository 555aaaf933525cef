import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EmbeddedDatabaseError } from './embedded-database.error.js';
import type { PostgresBinaries } from './postgres-binaries.js';
import { canRun, firstLine, type SystemUser } from './postgres-user.js';

/**
 * Where root keeps what the `postgres` user must reach when the project sits in a folder that
 * user cannot enter (root's home and every `mktemp -d` folder are mode 0700): a folder of
 * root's own, mode 0755, so no folder of the user's ever has its permissions loosened.
 */
export const ROOT_OWNED_LOCATION = '/var/lib/corsmesh';

const CLUSTERS = join(ROOT_OWNED_LOCATION, 'clusters');
/** The DATA_DIR a cluster folder under CLUSTERS belongs to. */
const OWNER_FILE = 'data-dir';
/** A cluster younger than this may still be getting its DATA_DIR's credentials file. */
const ORPHAN_GRACE_MS = 60_000;

/**
 * The binaries where `user` can run them: in place when it can reach node_modules, otherwise
 * a copy under {@link ROOT_OWNED_LOCATION}, made once per version and shared by every clone.
 */
export async function binariesRunnableBy(
  installed: PostgresBinaries,
  user: SystemUser,
  log: (message: string) => void,
): Promise<PostgresBinaries> {
  if (await canRun(installed, user)) return installed;
  const copy = { ...installed, dir: join(ROOT_OWNED_LOCATION, `postgres-${installed.version}-${installed.build}`) };
  if (existsSync(copy.dir) && (await canRun(copy, user))) return copy;
  log(`copying the PostgreSQL binaries to ${copy.dir}, where the ${user.name} user can run them`);
  await ensureRootOwnedDir(ROOT_OWNED_LOCATION);
  const staging = `${copy.dir}.partial-${process.pid}`;
  try {
    await rm(staging, { recursive: true, force: true });
    await cp(installed.dir, staging, { recursive: true, verbatimSymlinks: true });
    await rm(copy.dir, { recursive: true, force: true });
    // Another start may finish its copy first: then either copy is as good.
    await rename(staging, copy.dir).catch(() => rm(staging, { recursive: true, force: true }));
  } catch (error) {
    throw unusable(`cannot copy the PostgreSQL binaries to ${copy.dir} (${firstLine(error)})`, error);
  }
  if (!(await canRun(copy, user))) throw unusable(`the ${user.name} user cannot run the PostgreSQL binaries in ${copy.dir}`);
  return copy;
}

/**
 * A cluster folder for DATA_DIR under {@link ROOT_OWNED_LOCATION}, named after DATA_DIR's
 * path, so the same project finds its data again on every start.
 */
export async function rootOwnedClusterDir(dataDir: string): Promise<string> {
  const id = [basename(dirname(dataDir)), basename(dataDir)].join('-').replace(/[^A-Za-z0-9_.-]/g, '').replace(/^[.-]+/, '').slice(0, 40);
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const dir = join(CLUSTERS, `${id}-${hash}`);
  try {
    await ensureRootOwnedDir(CLUSTERS);
    await ensureRootOwnedDir(dir);
    await writeFile(join(dir, OWNER_FILE), dataDir + '\n');
  } catch (error) {
    throw unusable(`cannot create ${dir} (${firstLine(error)})`, error);
  }
  return join(dir, 'postgres');
}

/**
 * Removes clusters under {@link ROOT_OWNED_LOCATION} whose DATA_DIR was deleted: their
 * credentials went with it, so nobody can sign in to them any more (and deleting DATA_DIR is
 * how a user starts afresh). Test runs delete their DATA_DIR each time, so this also keeps
 * their clusters from piling up.
 */
export async function removeOrphanedClusters(log: (message: string) => void): Promise<void> {
  const entries = await readdir(CLUSTERS).catch(() => [] as string[]);
  for (const entry of entries) {
    const dir = join(CLUSTERS, entry);
    const owner = await readFile(join(dir, OWNER_FILE), 'utf8').then((text) => text.trim(), () => undefined);
    if (!owner || existsSync(join(owner, 'embedded-postgres.json'))) continue;
    const { mtimeMs } = await stat(dir);
    if (Date.now() - mtimeMs < ORPHAN_GRACE_MS || isServing(join(dir, 'postgres'))) continue;
    log(`removing the embedded PostgreSQL data in ${dir}: its DATA_DIR ${owner} was deleted`);
    await rm(dir, { recursive: true, force: true });
  }
}

function isServing(clusterDir: string): boolean {
  return existsSync(join(clusterDir, 'postmaster.pid'));
}

async function ensureRootOwnedDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  // Root's umask may be 077; this folder is ours, and the postgres user must enter it.
  await chmod(dir, 0o755);
}

function unusable(reason: string, cause?: unknown): EmbeddedDatabaseError {
  return new EmbeddedDatabaseError(
    `as root, the embedded PostgreSQL runs as the postgres user, which cannot reach this project's folder, and ${reason}: ` +
      'clone the project into a folder others may enter, run npm start as an ordinary user, or set DATABASE_URL',
    { cause },
  );
}
