import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { binary, type PostgresBinaries } from './postgres-binaries.js';
import { EmbeddedDatabaseError } from './embedded-database.error.js';

const run = promisify(execFile);

/** The system user PostgreSQL runs as when started by root (it refuses to run as root). */
export interface SystemUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const POSTGRES = 'postgres';

/** The `postgres` user, created (as a system user with its own group) when the system has none. */
export async function postgresUser(log: (message: string) => void): Promise<SystemUser> {
  const existing = await lookUp(POSTGRES);
  if (existing) return existing;
  log(`creating the system user ${POSTGRES} to run the embedded PostgreSQL (it refuses to run as root)`);
  try {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', POSTGRES]);
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `PostgreSQL refuses to run as root and this system has no ${POSTGRES} user to run it as (useradd failed: ${firstLine(error)}): ` +
        `create one with \`useradd --system --user-group ${POSTGRES}\`, run npm start as an ordinary user, or set DATABASE_URL`,
      { cause: error },
    );
  }
  const created = await lookUp(POSTGRES);
  if (!created) throw new EmbeddedDatabaseError(`the ${POSTGRES} user was created but cannot be found: set DATABASE_URL instead`);
  return created;
}

async function lookUp(name: string): Promise<SystemUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined; // `id` exits non-zero for an unknown user
  }
}

/** Whether `user` may enter `dir`, asked of the system as that user (modes, ACLs and all). */
export async function canEnter(dir: string, user: SystemUser): Promise<boolean> {
  return succeeds('test', ['-x', dir], user);
}

/** Whether `user` can run these binaries where they are (it must be able to reach their folder). */
export async function canRun(binaries: PostgresBinaries, user: SystemUser): Promise<boolean> {
  return succeeds(binary(binaries, 'postgres'), ['--version'], user);
}

async function succeeds(file: string, args: string[], user: SystemUser): Promise<boolean> {
  try {
    await run(file, args, { uid: user.uid, gid: user.gid, cwd: '/' });
    return true;
  } catch {
    return false;
  }
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? ((error as { stderr?: string }).stderr || error.message) : String(error);
  return text.trim().split('\n')[0] ?? '';
}
