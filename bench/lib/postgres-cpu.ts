import { readdir, readFile } from 'node:fs/promises';

/** CPU time so far, in nanoseconds, of each PostgreSQL client backend of one database, by pid. */
export type BackendCpu = ReadonlyMap<string, number>;

/**
 * Reads the CPU time of every client backend of `database` on this machine (processes named
 * `postgres` whose title names the database; autovacuum workers excluded), from the first
 * field of /proc/<pid>/schedstat: nanoseconds, where /proc/<pid>/stat counts 10 ms ticks.
 * Undefined where there is no /proc or no such backend (a remote server).
 */
export async function postgresBackendCpu(database: string): Promise<BackendCpu | undefined> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^[0-9]+$/.test(name));
  } catch {
    return undefined;
  }
  const cpu = new Map<string, number>();
  await Promise.all(
    pids.map(async (pid) => {
      try {
        if ((await readFile(`/proc/${pid}/comm`, 'utf8')).trim() !== 'postgres') return;
        const title = await readFile(`/proc/${pid}/cmdline`, 'utf8');
        if (!title.includes(` ${database} `) || title.includes('autovacuum')) return;
        cpu.set(pid, Number((await readFile(`/proc/${pid}/schedstat`, 'utf8')).split(' ')[0]));
      } catch {
        // The process exited meanwhile, or is not ours to read: not counted.
      }
    }),
  );
  return cpu.size > 0 ? cpu : undefined;
}

/**
 * CPU time the backends spent between two readings, in microseconds: each backend's growth,
 * a backend started meanwhile counted whole. A backend that exited meanwhile is lost, so the
 * gateways under test keep their pool's connections open (a long idle timeout).
 */
export function backendCpuMicrosBetween(before: BackendCpu | undefined, after: BackendCpu | undefined): number | undefined {
  if (before === undefined || after === undefined) return undefined;
  let nanos = 0;
  for (const [pid, time] of after) nanos += time - (before.get(pid) ?? 0);
  return nanos / 1000;
}
