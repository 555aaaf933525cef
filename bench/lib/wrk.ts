import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** One fixed request: the same method, path and headers on every connection. */
export interface FixedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Requests spread over tenants `0 … tenants - 1` at random, each from its tenant's own origin. */
export interface RandomTenantRequest {
  readonly randomTenants: number;
  readonly headers: Readonly<Record<string, string>>;
}

export interface WrkResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses with a status outside 200–399 (wrk counts no more than that). */
  readonly non2xx3xx: number;
  readonly socketErrors: number;
  /** CPU time (user + system) of the wrk process itself, in microseconds. */
  readonly generatorCpuMicros: number;
}

/** Whether Debian's `wrk` is installed (`apt-get install wrk`). */
export async function wrkAvailable(): Promise<boolean> {
  try {
    await promisify(execFile)('wrk', ['--version']).catch((error: { stdout?: string }) => {
      // `wrk --version` prints its banner and exits with status 1.
      if (!error.stdout?.includes('wrk')) throw error;
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs wrk (one thread: the server under test gets the other core) for `seconds` against
 * `url`. A fixed request is set once in wrk's Lua globals, so wrk builds the request bytes
 * once and never runs Lua per request or per response (a random tenant's request is built by
 * a Lua `request()` per request, still far cheaper than the server's work): it costs a
 * fraction of the server's CPU (reported as `generatorCpuMicros`), where autocannon with a
 * per-response listener cost about as much as the server and flattened every ratio toward 1.
 *
 * wrk's own CPU time is read from the shell that waits for it (`cutime + cstime` of
 * /proc/<shell>/stat once wrk has exited), since wrk does not report it.
 */
export async function runWrk(url: string, request: FixedRequest | RandomTenantRequest, options: { connections: number; seconds: number }): Promise<WrkResult> {
  const dir = await mkdtemp(join(tmpdir(), 'corsmesh-wrk-'));
  try {
    const script = join(dir, 'request.lua');
    await writeFile(script, luaScript(request));
    const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '-s', script, url];
    const { stdout, code } = await run('sh', ['-c', 'wrk "$@"; status=$?; echo; echo "SHELLSTAT $(cat /proc/$$/stat)"; exit $status', 'sh', ...args]);
    if (code !== 0) throw new Error(`wrk exited with ${code}: ${stdout}`);
    return parseWrk(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function luaScript(request: FixedRequest | RandomTenantRequest): string {
  if ('randomTenants' in request) {
    // Slugs and origins as in bench-tenants.ts (slugOf, allowedOriginOf).
    const fixed = Object.entries(request.headers)
      .map(([name, value]) => `[${lua(name)}] = ${lua(value)}`)
      .join(', ');
    return `math.randomseed(os.time())
request = function()
  local i = math.random(0, ${request.randomTenants - 1})
  local headers = { ${fixed} }
  headers["origin"] = "https://app.tenant-" .. i .. ".example.com"
  return wrk.format("GET", "/t/bench-" .. i .. "/echo", headers)
end
`;
  }
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`)
    .join('\n');
  return `wrk.method = ${lua(request.method)}\nwrk.path = ${lua(request.path)}\n${headers}\n`;
}

function lua(value: string): string {
  return JSON.stringify(value);
}

function run(command: string, args: string[]): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, code }));
  });
}

const CLOCK_TICKS_PER_SECOND = 100;

export function parseWrk(output: string): WrkResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)\b/.exec(output);
  if (!total) throw new Error(`unexpected wrk output: ${output}`);
  const requests = Number(total[1]);
  const seconds = toMs(Number(total[2]), total[3]!) / 1000;
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
    return match ? toMs(Number(match[1]), match[2]!) : NaN;
  };
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const stat = /SHELLSTAT (.*)$/m.exec(output);
  // Fields after the command name (which is in parentheses): cutime and cstime are the 16th and 17th.
  const fields = stat ? stat[1]!.slice(stat[1]!.lastIndexOf(')') + 2).split(' ') : [];
  const childTicks = Number(fields[13] ?? NaN) + Number(fields[14] ?? NaN);
  return {
    requests,
    seconds,
    requestsPerSecond: requests / seconds,
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    non2xx3xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    generatorCpuMicros: (childTicks / CLOCK_TICKS_PER_SECOND) * 1e6,
  };
}

function toMs(value: number, unit: string): number {
  return value * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit] ?? NaN);
}
