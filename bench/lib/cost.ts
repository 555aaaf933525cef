import { loadavg } from 'node:os';
import { BENCH_POLICIES, benchPolicy, PATH_RULES_BENCH_POLICY, REFUSED_ORIGIN, type BenchPolicy } from './bench-tenants.js';
import type { ServerProcess } from './server-process.js';
import { runWrk, type FixedRequest, type RandomTenantRequest, type WrkResult } from './wrk.js';

export type CostServer = 'bare' | 'static' | 'ours';
export type CostKind = 'actual' | 'preflight' | 'refused';

/** One measurement: a server under one request for a fixed time, with its CPU time. */
export interface CostSample extends WrkResult {
  /** CPU time (user + system) the server process spent, per response, in microseconds. */
  readonly cpuMicrosPerRequest: number;
  /** wrk's CPU time / (wrk's + the server's): well under one half means wrk is not the bottleneck. */
  readonly generatorShare: number;
  /** One-minute load average when the measurement started. */
  readonly loadAverage: number;
}

export interface CostCase {
  readonly id: string;
  readonly server: CostServer;
  readonly policy: BenchPolicy['name'];
  readonly kind: CostKind;
  /** Every response must be 2xx/3xx (false: every response must be another status, the 403). */
  readonly expectSuccess: boolean;
}

export interface CostCaseResult extends CostCase {
  readonly samples: readonly CostSample[];
}

export interface CostServers {
  readonly bare: ServerProcess;
  readonly static: Readonly<Partial<Record<BenchPolicy['name'], ServerProcess>>>;
  readonly ours: ServerProcess;
}

export interface CostOptions {
  readonly connections: number;
  readonly duration: number;
  readonly warmup: number;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

const COMMON_HEADERS = { 'user-agent': 'corsmesh-bench', accept: 'application/json' };

export function requestOf(policy: BenchPolicy, kind: CostKind): FixedRequest {
  const path = `/t/${policy.slug}/echo`;
  if (kind === 'preflight') {
    return {
      method: 'OPTIONS',
      path,
      headers: {
        ...COMMON_HEADERS,
        origin: policy.allowedOrigin,
        'access-control-request-method': policy.preflightMethod,
        'access-control-request-headers': policy.preflightHeaders,
      },
    };
  }
  return { method: 'GET', path, headers: { ...COMMON_HEADERS, origin: kind === 'refused' ? REFUSED_ORIGIN : policy.allowedOrigin } };
}

/**
 * The cases of one round, grouped so that the servers compared with each other run one right
 * after the other. `@fastify/cors` never refuses (a refused origin gets the handler's answer
 * without CORS headers), so "refused" is compared with ours allowed, as the target says.
 */
export function costCases(): CostCase[] {
  const cases: CostCase[] = [{ id: 'bare', server: 'bare', policy: 'simple', kind: 'actual', expectSuccess: true }];
  for (const { name } of BENCH_POLICIES) {
    for (const kind of ['actual', 'preflight'] as const) {
      for (const server of ['static', 'ours'] as const) cases.push({ id: `${name}/${kind}/${server}`, server, policy: name, kind, expectSuccess: true });
    }
    cases.push({ id: `${name}/refused/ours`, server: 'ours', policy: name, kind: 'refused', expectSuccess: false });
  }
  // Compared with simple/<kind>/ours: what twenty unmatched path rules add.
  const { name } = PATH_RULES_BENCH_POLICY;
  for (const kind of ['actual', 'preflight'] as const) cases.push({ id: `${name}/${kind}/ours`, server: 'ours', policy: name, kind, expectSuccess: true });
  return cases;
}

/** Runs wrk against `server` and reads the server's CPU time around the measured part. */
export async function measureCost(
  server: ServerProcess,
  request: FixedRequest | RandomTenantRequest,
  options: Pick<CostOptions, 'connections' | 'duration' | 'warmup'>,
): Promise<CostSample> {
  const load = { connections: options.connections, seconds: options.warmup };
  if (options.warmup > 0) await runWrk(server.url, request, load);
  const loadAverage = loadavg()[0]!;
  const cpuBefore = await server.cpuMicros();
  const result = await runWrk(server.url, request, { ...load, seconds: options.duration });
  const cpu = (await server.cpuMicros()) - cpuBefore;
  return {
    ...result,
    cpuMicrosPerRequest: result.requests ? cpu / result.requests : NaN,
    generatorShare: result.generatorCpuMicros / (result.generatorCpuMicros + cpu),
    loadAverage,
  };
}

/** Starts the servers of one round, and stops them after it. */
export interface RoundServers<S> {
  readonly start: () => Promise<S>;
  readonly stop: (servers: S) => Promise<void>;
}

/**
 * Runs `run` once per round, each time on new servers, stopped after it. V8 compiles some of
 * Node's HTTP code into a slow form in some processes and not others, for minutes
 * (bench/README.md, "V8's slow state"), so servers kept for the whole run compared one draw of
 * that per server: it showed as static's credentialed actual at 1.55× bare for a whole run.
 */
export async function inNewServerRounds<S>(serverSet: RoundServers<S>, rounds: number, run: (servers: S, round: number) => Promise<void>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const servers = await serverSet.start();
    try {
      await run(servers, round);
    } finally {
      await serverSet.stop(servers);
    }
  }
}

/** The options of a load not counted (a new process's JIT): as long as a warm-up, without one. */
export function uncounted<O extends Pick<CostOptions, 'duration' | 'warmup'>>(options: O): O {
  return { ...options, duration: options.warmup, warmup: 0 };
}

/**
 * Paired, interleaved rounds: in every round each case runs once, the servers compared with
 * each other back to back, their order rotated from round to round. CPU time on a shared
 * machine swings by ±25% between rounds for the same server; a ratio of two servers measured
 * in the same round moves much less, and the median over rounds is reported. Each round has
 * new server processes ({@link inNewServerRounds}), each case run once uncounted first.
 */
export async function runCostRounds(serverSet: RoundServers<CostServers>, options: CostOptions): Promise<CostCaseResult[]> {
  const cases = costCases();
  const samples = new Map<string, CostSample[]>(cases.map((c) => [c.id, []]));
  await inNewServerRounds(serverSet, options.rounds, async (servers, round) => {
    const serverOf = (c: CostCase) => (c.server === 'bare' ? servers.bare : c.server === 'static' ? servers.static[c.policy]! : servers.ours);
    for (const c of cases) await measureCost(serverOf(c), requestOf(benchPolicy(c.policy), c.kind), uncounted(options));
    options.log(`  round ${round + 1} of ${options.rounds} (load average ${loadavg()[0]!.toFixed(1)})`);
    // Pairs (static, ours) are swapped every other round, so neither always goes first.
    const ordered = round % 2 === 0 ? cases : swapPairs(cases);
    for (const c of ordered) samples.get(c.id)!.push(await measureCost(serverOf(c), requestOf(benchPolicy(c.policy), c.kind), options));
  });
  return cases.map((c) => ({ ...c, samples: samples.get(c.id)! }));
}

function swapPairs(cases: readonly CostCase[]): CostCase[] {
  const swapped = [...cases];
  for (let i = 0; i + 1 < swapped.length; i++) {
    const a = swapped[i]!;
    const b = swapped[i + 1]!;
    if (a.server === 'static' && b.server === 'ours' && a.kind === b.kind && a.policy === b.policy) {
      swapped[i] = b;
      swapped[i + 1] = a;
      i++;
    }
  }
  return swapped;
}

export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Per-round ratios `mine / theirs` of one figure, their median and range. */
export interface PairedRatio {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly rounds: readonly number[];
}

export function pairedRatio(mine: CostCaseResult, theirs: CostCaseResult, figure: (sample: CostSample) => number): PairedRatio {
  const rounds = mine.samples.map((sample, round) => figure(sample) / figure(theirs.samples[round]!));
  return { median: median(rounds), min: Math.min(...rounds), max: Math.max(...rounds), rounds };
}

/** Whether every response of every round had the expected status class, with no socket errors. */
export function statusesAsExpected(result: CostCaseResult): boolean {
  return result.samples.every(
    (sample) => sample.socketErrors === 0 && (result.expectSuccess ? sample.non2xx3xx === 0 : sample.non2xx3xx === sample.requests),
  );
}
