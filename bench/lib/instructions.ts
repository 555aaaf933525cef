import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { median } from './cost.js';
import { backendCpuMicrosBetween, postgresBackendCpu } from './postgres-cpu.js';
import { steadyPerRequest } from './steady-window.js';
import type { ServerProcess, StartOptions } from './server-process.js';
import { runWrk, type FixedRequest, type RandomTenantRequest } from './wrk.js';

const run = promisify(execFile);

/**
 * Instructions per request, counted by valgrind's callgrind in the server process: unlike CPU
 * time, the count does not depend on what else the machine is doing (the same binary, inputs
 * and environment count the same instructions with the other core loaded), so two servers
 * compare to a fraction of a percent where CPU time moves by ±25% between rounds. It counts
 * user-space instructions only: the kernel's side of the socket calls (the same for every
 * server: one read and one write per request) is not in it.
 */
export interface InstructionWindow {
  readonly instructions: number;
  readonly requests: number;
  readonly perRequest: number;
  readonly non2xx3xx: number;
  readonly socketErrors: number;
  /** Calls per request into V8's runtime for object-literal definitions: see {@link runtimeLiteralDefinitions}. */
  readonly runtimeLiteralsPerRequest: number;
  /** The flush of this window's traffic counts, when the server flushes on command. */
  readonly flush?: FlushCost;
}

/** One write of a window's traffic counts: the gateway's instructions and PostgreSQL's CPU time. */
export interface FlushCost {
  readonly instructions: number;
  /** CPU time of every PostgreSQL process meanwhile (native speed: PostgreSQL is not under valgrind); undefined for a remote server. */
  readonly postgresCpuMicros: number | undefined;
}

export interface InstructionCase {
  readonly id: string;
  readonly server: ServerProcess;
  readonly request: FixedRequest | RandomTenantRequest;
  /** Every response must be 2xx/3xx (false: every response must be another status). */
  readonly expectSuccess: boolean;
  /**
   * The server records traffic and writes it only on its `flush` command (a gateway with
   * BENCH_MANUAL_FLUSH=true): each window's counts are then written after the window and
   * counted apart. Under valgrind a 5-second timer's work weighs on each request 5–10 times
   * what it does at native speed (fewer requests between two ticks), so it is measured per
   * flush and not spread over the requests valgrind let through.
   */
  readonly flushes?: boolean;
}

export interface InstructionCaseResult {
  readonly id: string;
  readonly windows: readonly InstructionWindow[];
  /**
   * The fewest over the windows that another window confirms (see {@link steadyPerRequest}):
   * the request path in steady state (a flush is not in it). A major GC falls in some windows
   * of valgrind's few thousand requests and not in others, and moved one window of a case by
   * up to 6×.
   */
  readonly perRequest: number;
  /** The median over the windows, beside it: with the major GCs some windows held. */
  readonly medianPerRequest: number;
  /** Medians over the windows' flushes, when the case flushes. */
  readonly flush?: { readonly instructions: number; readonly postgresCpuMicros: number | undefined };
  readonly statusesAsExpected: boolean;
  /** The server process ran in V8's slow state (see {@link runtimeLiteralDefinitions}): comparable only with another in it. */
  readonly slowV8State: boolean;
}

export interface InstructionOptions {
  readonly connections: number;
  /**
   * Seconds of load per case, uncounted, for every case before the first is counted: a
   * server's first case was otherwise counted while code its other cases share was still
   * being optimised (its windows spread by 2×; later cases by a few per cent).
   */
  readonly firstPassSeconds: number;
  /** Seconds of load before counting starts: V8 optimises the hot path meanwhile. */
  readonly warmupSeconds: number;
  /** Seconds counted per window; the fewest confirmed instructions per request of `windows` windows is reported. */
  readonly windowSeconds: number;
  readonly windows: number;
  /** The database the gateways use: its backends' CPU time is read around each flush. */
  readonly database: string;
  readonly log: (line: string) => void;
}

/**
 * Long enough for V8 to finish optimising under valgrind (a server runs there 5–40 times
 * slower; shorter warm-ups still counted compilations), and windows a multiple of the
 * gateway's 5-second periodic work (traffic flush, listener heartbeat), so that every window
 * holds as much of it.
 */
export const DEFAULT_INSTRUCTION_OPTIONS = { firstPassSeconds: 10, warmupSeconds: 15, windowSeconds: 10, windows: 5 } as const;

/**
 * The gateway's deadlines, stretched for valgrind's pace: a heartbeat or a query that took
 * longer than its deadline would reconnect and re-read every policy, work a gateway at
 * native speed does not do.
 */
export const CALLGRIND_GATEWAY_ENV = {
  LISTENER_HEARTBEAT_TIMEOUT_MS: '60000',
  DATABASE_QUERY_TIMEOUT_MS: '60000',
  DATABASE_POOL_TIMEOUT_MS: '60000',
  // Connections kept between flushes, so that the backend that wrote one is still there to be read.
  DATABASE_IDLE_TIMEOUT_MS: '3600000',
} as const;

/** Whether valgrind is installed (Debian: `apt-get install valgrind`). */
export async function callgrindAvailable(): Promise<boolean> {
  try {
    await run('callgrind_control', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** A directory for callgrind's dumps and the launcher that runs a server under callgrind. */
export async function callgrindLauncher(): Promise<{ launcher: StartOptions['launcher']; dumps: string; cleanup: () => Promise<void> }> {
  const dumps = await mkdtemp(join(tmpdir(), 'corsmesh-callgrind-'));
  return {
    // Counting starts switched off: start-up and warm-up run at valgrind's uninstrumented pace.
    launcher: ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${join(dumps, 'callgrind.%p')}`, '--quiet'],
    dumps,
    cleanup: () => rm(dumps, { recursive: true, force: true }),
  };
}

/**
 * A first pass over every case, uncounted; then each case in turn: load uncounted (warm-up), then counting on with one window thrown away
 * (callgrind re-translates every code block once counting starts, which the first window
 * would pay), then `windows` windows, each zeroed before and dumped after. Instructions per
 * request = the window's instructions ÷ the responses wrk counted in it.
 */
export async function runInstructionCases(cases: readonly InstructionCase[], dumps: string, options: InstructionOptions): Promise<InstructionCaseResult[]> {
  const loadOf = (c: InstructionCase) => (seconds: number) => runWrk(c.server.url, c.request, { connections: options.connections, seconds });
  for (const c of cases) await loadOf(c)(options.firstPassSeconds);
  const results: InstructionCaseResult[] = [];
  for (const c of cases) {
    const pid = c.server.child.pid!;
    const load = loadOf(c);
    await load(options.warmupSeconds);
    await control(pid, '--instr=on');
    await load(options.windowSeconds);
    if (c.flushes) await c.server.command('flush');
    const windows: InstructionWindow[] = [];
    for (let w = 0; w < options.windows; w++) {
      await control(pid, '--zero');
      const result = await load(options.windowSeconds);
      const dump = await takeDump(pid, dumps);
      const flush = c.flushes ? await countFlush(c.server, pid, dumps, options.database) : undefined;
      windows.push({
        instructions: dump.instructions,
        requests: result.requests,
        perRequest: dump.instructions / result.requests,
        non2xx3xx: result.non2xx3xx,
        socketErrors: result.socketErrors,
        runtimeLiteralsPerRequest: dump.runtimeLiterals / result.requests,
        flush,
      });
    }
    await control(pid, '--instr=off');
    const statusesAsExpected = windows.every((w) => w.socketErrors === 0 && (c.expectSuccess ? w.non2xx3xx === 0 : w.non2xx3xx === w.requests));
    const perRequest = steadyPerRequest(windows.map((w) => w.perRequest));
    const medianPerRequest = median(windows.map((w) => w.perRequest));
    const flush = c.flushes
      ? { instructions: median(windows.map((w) => w.flush!.instructions)), postgresCpuMicros: medianOrUndefined(windows.map((w) => w.flush!.postgresCpuMicros)) }
      : undefined;
    // The state of the window the figure comes from: V8 enters and leaves it within a process.
    const reported = windows.reduce((best, w) => (Math.abs(w.perRequest - perRequest) < Math.abs(best.perRequest - perRequest) ? w : best));
    const runtimeLiterals = reported.runtimeLiteralsPerRequest;
    options.log(
      `  ${c.id}: ${Math.round(perRequest).toLocaleString('en')} instructions per request, fewest confirmed window (${windows.map((w) => Math.round(w.perRequest).toLocaleString('en')).join(', ')})` +
        (runtimeLiterals >= 1 ? ` — V8's slow state: ${runtimeLiterals.toFixed(0)} object literals per request defined in its runtime` : '') +
        (flush ? `; a flush ${Math.round(flush.instructions).toLocaleString('en')} instructions, PostgreSQL ${flush.postgresCpuMicros === undefined ? '—' : `${(flush.postgresCpuMicros / 1000).toFixed(1)} ms CPU`}` : '') +
        (statusesAsExpected ? '' : ' — unexpected statuses'),
    );
    results.push({ id: c.id, windows, perRequest, medianPerRequest, flush, statusesAsExpected, slowV8State: runtimeLiterals >= 1 });
  }
  return results;
}

/** Writes the counts the server recorded in the window just counted, and counts that write. */
async function countFlush(server: ServerProcess, pid: number, dumps: string, database: string): Promise<FlushCost> {
  await control(pid, '--zero');
  const before = await postgresBackendCpu(database);
  await server.command('flush');
  const after = await postgresBackendCpu(database);
  const { instructions } = await takeDump(pid, dumps);
  return { instructions, postgresCpuMicros: backendCpuMicrosBetween(before, after) };
}

function medianOrUndefined(values: readonly (number | undefined)[]): number | undefined {
  return values.every((value) => value !== undefined) ? median(values as number[]) : undefined;
}

async function control(pid: number, ...args: string[]): Promise<void> {
  await run('callgrind_control', [...args, String(pid)]);
}

/** Dumps the counters of `pid` and reads the total and the runtime literal definitions it wrote (the dump file is removed). */
async function takeDump(pid: number, dumps: string): Promise<{ instructions: number; runtimeLiterals: number }> {
  await control(pid, '--dump');
  const prefix = `callgrind.${pid}.`;
  const files = (await readdir(dumps)).filter((name) => name.startsWith(prefix));
  if (files.length !== 1) throw new Error(`expected one callgrind dump of ${pid} in ${dumps}, found ${files.length}`);
  const file = join(dumps, files[0]!);
  const text = await readFile(file, 'utf8');
  await rm(file);
  const total = /^(?:totals|summary): (\d+)/m.exec(text);
  if (!total) throw new Error(`no totals in callgrind dump ${file}`);
  return { instructions: Number(total[1]), runtimeLiterals: runtimeLiteralDefinitions(text) };
}

const RUNTIME_LITERAL = 'v8::internal::Runtime_DefineKeyedOwnPropertyInLiteral';

/**
 * Calls into V8's runtime function for a computed key of an object literal, in a callgrind
 * dump. Node's `process.nextTick` builds `{ [async_id_symbol]: …, [trigger_async_id_symbol]: … }`,
 * some fifteen times per request; in some server processes V8 compiles the functions that
 * inline it with that definition as a runtime call (and a map migration) instead of inline
 * code, until they are compiled again (minutes, or the life of the process): 20–30 such calls
 * and 35,000–85,000 more instructions per request, a third to three quarters more, whatever
 * the server (seen in 5 of 10 gateway and 1 of 7 static processes, issue 13). Counted so that
 * such a process is compared only with another in the same state. Callgrind names a function
 * once (`cfn=(id) name`) and by its id after that.
 */
export function runtimeLiteralDefinitions(dump: string): number {
  const ids = new Set<string>();
  let calling = false;
  let calls = 0;
  for (const line of dump.split('\n')) {
    if (line.startsWith('cfn=(') || line.startsWith('fn=(')) {
      const close = line.indexOf(')');
      const id = line.slice(line.indexOf('(') + 1, close);
      if (line.length > close + 1 && line.slice(close + 2).startsWith(RUNTIME_LITERAL)) ids.add(id);
      calling = line.startsWith('cfn=') && ids.has(id);
    } else if (calling && line.startsWith('calls=')) {
      calls += Number.parseInt(line.slice(6), 10);
    }
  }
  return calls;
}
