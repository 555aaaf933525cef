import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './dist.js';

/** A command sent to a server process, answered by the handler of the same name. */
export interface Command {
  readonly id: number;
  readonly name: string;
  readonly args?: unknown;
}

type Reply = { id: number; result?: unknown; error?: string };
type Handlers = Record<string, (args: never) => unknown>;

/**
 * Child side: reports the listening port to the parent, then answers its commands
 * (built in: `stop` closes the server and exits normally, so `--cpu-prof` writes its file;
 * `cpu` answers `process.cpuUsage()`, the process's own CPU time in microseconds).
 */
export function serveCommands(port: number, close: () => Promise<unknown>, handlers: Handlers = {}): void {
  const send = (message: unknown) => process.send?.(message);
  process.on('message', (message: Command) => {
    void (async () => {
      if (message.name === 'stop') {
        await close();
        send({ id: message.id, result: null });
        process.disconnect();
        process.exit(0);
      }
      if (message.name === 'cpu') {
        send({ id: message.id, result: process.cpuUsage() });
        return;
      }
      try {
        const handler = handlers[message.name];
        if (!handler) throw new Error(`unknown command ${message.name}`);
        send({ id: message.id, result: await handler(message.args as never) });
      } catch (error) {
        send({ id: message.id, error: String((error as Error).stack ?? error) });
      }
    })();
  });
  send({ ready: true, port });
}

/** Parent side: a server under test running in a process of its own. */
export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  command<T>(name: string, args?: unknown): Promise<T>;
  /** The process's CPU time so far (user + system), in microseconds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly env?: Record<string, string>;
  /** Extra `node` flags, e.g. `--expose-gc` or `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  /** A program and its arguments that run `node` (e.g. valgrind); node runs directly without. */
  readonly launcher?: readonly string[];
  readonly timeoutMs?: number;
}

/**
 * Forks `bench/servers/<script>`, as compiled into `dist/bench/servers/` (bench/tsconfig.servers.json),
 * with plain node, and waits until it listens.
 */
export function startServerProcess(name: string, script: string, options: StartOptions = {}): Promise<ServerProcess> {
  const nodeArgs = options.nodeFlags ?? [];
  const [launcher, ...launcherArgs] = options.launcher ?? [];
  const child = fork(join(repoRoot, 'dist', 'bench', 'servers', script.replace(/\.ts$/, '.js')), [], {
    cwd: repoRoot,
    ...(launcher ? { execPath: launcher, execArgv: [...launcherArgs, process.execPath, ...nodeArgs] } : { execArgv: [...nodeArgs] }),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (message: Reply) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${name}: ${message.error}`));
    else waiter.resolve(message.result);
  });
  child.on('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${name} exited`));
    pending.clear();
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${name} did not start within ${options.timeoutMs ?? 60_000} ms`));
    }, options.timeoutMs ?? 60_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before listening`));
    };
    child.once('exit', onExit);
    child.on('message', function onReady(message: { ready?: boolean; port?: number }) {
      if (!message.ready) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('message', onReady);
      const command = <T>(commandName: string, args?: unknown) =>
        new Promise<T>((resolveCommand, rejectCommand) => {
          const id = nextId++;
          pending.set(id, { resolve: resolveCommand as (value: unknown) => void, reject: rejectCommand });
          child.send({ id, name: commandName, args } satisfies Command);
        });
      resolve({
        name,
        url: `http://127.0.0.1:${message.port}`,
        child,
        command,
        cpuMicros: async () => {
          const { user, system } = await command<NodeJS.CpuUsage>('cpu');
          return user + system;
        },
        stop: async () => {
          if (child.exitCode !== null) return;
          const exited = new Promise((done) => child.once('exit', done));
          await command('stop').catch(() => undefined);
          await exited;
        },
      });
    });
  });
}
