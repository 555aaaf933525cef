// `npm run bench`: the performance benchmark of issue 6. See bench/README.md.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openBenchDatabase } from './lib/database.js';
import { repoRoot } from './lib/dist.js';
import { closeProbeConnections } from './lib/http-probe.js';
import { measureInvalidation } from './lib/invalidation.js';
import { measureMemory } from './lib/memory.js';
import { BENCH_POLICIES, benchPolicy, TENANT_COUNT } from './lib/bench-tenants.js';
import { measureColdStart } from './lib/cold-start.js';
import { configImportTarget, measureConfigImport } from './lib/config-import.js';
import { costCases, requestOf, runCostRounds } from './lib/cost.js';
import { CACHE_MEMORY_TARGET_BYTES, measureCacheMemory } from './lib/cache-memory.js';
import { measureLibraryCost } from './lib/library-cost.js';
import { writeLibraryReport } from './lib/library-report.js';
import { RECORDING_KINDS, RECORDING_SPREAD_TENANTS, recordingRequestOf, runRecordingCostRounds } from './lib/recording-cost.js';
import { PROFILED_SCENARIOS, profileHotPath, type ProfiledScenario } from './lib/profile.js';
import { consoleTable, evaluateTargets, markdown, type BenchReport } from './lib/report.js';
import { gatewayEnv, measureManyTenants, measureQueryCost, type BenchOptions } from './lib/scenarios.js';
import { startServerProcess, type ServerProcess } from './lib/server-process.js';
import { wrkAvailable } from './lib/wrk.js';
import { CALLGRIND_GATEWAY_ENV, callgrindAvailable, callgrindLauncher, DEFAULT_INSTRUCTION_OPTIONS, runInstructionCases, type InstructionCase } from './lib/instructions.js';
import { recordingOffId, recordingOnId, writeInstructionReport } from './lib/instruction-report.js';

const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '10' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '3' },
    warmup: { type: 'string', default: process.env.BENCH_WARMUP ?? '1' },
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '5' },
    changes: { type: 'string', default: process.env.BENCH_CHANGES ?? '200' },
    profile: { type: 'string' },
    policy: { type: 'string', default: 'credentialed' },
    only: { type: 'string' },
    cases: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  process.stdout.write(`npm run bench [-- options]
  --connections N   wrk connections (BENCH_CONNECTIONS, default 10)
  --duration S      seconds measured per case and round (BENCH_DURATION, default 3)
  --warmup S        seconds of warm-up before each measurement (BENCH_WARMUP, default 1)
  --rounds N        paired rounds of the cost comparison, median reported (BENCH_ROUNDS, default 5)
  --changes N       policy changes of the invalidation scenario (BENCH_CHANGES, default 200)
  --only cost       only the side-by-side cost comparison (scenarios 1–5) and traffic recording on/off
  --only recording  only traffic recording on/off (two gateways, paired rounds)
  --only import     only the configuration import of 1,000 tenants (scenario 9; no wrk needed)
  --only library    only the library in a plain NestJS app, Express and Fastify (no database needed)
  --only memory     only the policy cache's memory at 100,000 and 1,000,000 tenants (no database, no wrk; ~2 GB)
  --only instructions  scenarios 1–5 and recording on/off in instructions per request, counted by
                    valgrind's callgrind: unmoved by the machine's load (about 10 minutes)
  --cases A,B       with --only instructions: only the cases whose id contains A or B
                    (e.g. credentialed/actual,spread)
  --profile WHAT    only profile the gateway (node --cpu-prof) under one scenario and summarise
                    the profile; WHAT: actual, preflight, refused, misses (6b), spread (1,000 tenants at random)
  --policy NAME     the policy --profile uses: credentialed (default) or simple
DATABASE_URL: use that server (a database corsmesh_bench is created on it) instead of an embedded one.
`);
  process.exit(0);
}

if (flags.only !== 'import' && flags.only !== 'memory' && !(await wrkAvailable())) {
  process.stderr.write('the benchmark needs wrk as its load generator (Debian: apt-get install wrk)\n');
  process.exit(2);
}
if (flags.only !== undefined && !['cost', 'recording', 'import', 'library', 'memory', 'instructions'].includes(flags.only)) {
  process.stderr.write('--only takes: cost, recording, import, library, memory, instructions\n');
  process.exit(2);
}
if (flags.only === 'instructions' && !(await callgrindAvailable())) {
  process.stderr.write('--only instructions needs valgrind (Debian: apt-get install valgrind)\n');
  process.exit(2);
}
if (flags.profile !== undefined && !PROFILED_SCENARIOS.includes(flags.profile as ProfiledScenario)) {
  process.stderr.write(`--profile must be one of ${PROFILED_SCENARIOS.join(', ')}\n`);
  process.exit(2);
}

const options: BenchOptions = {
  connections: positive('connections', flags.connections),
  duration: positive('duration', flags.duration),
  warmup: Number(flags.warmup) >= 0 ? Number(flags.warmup) : positive('warmup', flags.warmup),
  changes: positive('changes', flags.changes),
  rounds: positive('rounds', flags.rounds),
  log: (line) => process.stdout.write(`[${elapsed()}] ${line}\n`),
};
const resultsDir = join(repoRoot, 'bench', 'results');
const startedAt = new Date();
function elapsed(): string {
  const seconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Server processes still running: stopped on the way out, whatever happens. */
const servers = new Set<ServerProcess>();
async function track(server: Promise<ServerProcess>): Promise<ServerProcess> {
  const started = await server;
  servers.add(started);
  return started;
}
async function stopTracked(server: ServerProcess): Promise<void> {
  servers.delete(server);
  await server.stop();
}
async function withServer<T>(server: Promise<ServerProcess>, use: (server: ServerProcess) => Promise<T>): Promise<T> {
  const started = await track(server);
  try {
    return await use(started);
  } finally {
    await stopTracked(started);
  }
}

let stopDatabase: (() => Promise<void>) | undefined;
process.once('SIGINT', () => {
  options.log('interrupted: stopping the servers and the database');
  void Promise.allSettled([...servers].map((server) => server.stop()))
    .then(() => stopDatabase?.())
    .finally(() => process.exit(130));
});

// What else the machine was doing: on two cores a busy neighbour moves every figure.
const loadBefore = loadavg()[0]!;
if (loadBefore > availableParallelism() / 2) {
  options.log(`warning: load average ${loadBefore.toFixed(1)} on ${availableParallelism()} cores before the run: other work is competing, figures will be noisy`);
}
if (flags.only === 'memory') {
  // Issue 13's opt-in million-tenant run: the cache alone, filled without a database.
  const memory = await measureCacheMemory(options.log);
  const lines = memory.sizes.map(
    (size) =>
      `${size.heapBytesPerTenant < CACHE_MEMORY_TARGET_BYTES ? 'HELD  ' : 'MISSED'}  memory per cached policy at ${size.tenants.toLocaleString('en')} tenants: ` +
      `${(size.heapBytesPerTenant / 1024).toFixed(2)} KiB heap, ${(size.rssBytesPerTenant / 1024).toFixed(2)} KiB RSS, filled in ${size.fillSeconds.toFixed(1)} s (target < 1.5 KiB heap)`,
  );
  options.log(`done\n\n${lines.join('\n')}\n`);
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, `memory-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify({ startedAt, ...memory }, null, 2));
  process.exit(0);
}
if (flags.only === 'library') {
  // The library comparison needs no database: its apps use staticPolicySource.
  try {
    const library = await measureLibraryCost(options, track, stopTracked);
    const machine = { cpu: cpuModel(), cores: availableParallelism(), node: process.version, loadAverage: { before: loadBefore, after: loadavg()[0]! } };
    await writeLibraryReport(library, { startedAt, settings: options, machine }, resultsDir, options.log);
  } finally {
    for (const server of servers) await server.stop();
  }
  process.exit(0);
}
options.log('starting PostgreSQL');
const database = await openBenchDatabase(process.env.DATABASE_URL || undefined, options.log);
stopDatabase = () => database.stop();
try {
  if (flags.only === 'import') {
    const target = configImportTarget(await measureConfigImport(database.url, options));
    options.log(`done\n\n${target.held ? 'HELD  ' : 'MISSED'}  ${target.name}: ${target.measured} (target ${target.target})\n`);
  } else if (flags.only === 'instructions') {
    await measureInstructionCounts();
  } else if (flags.profile !== undefined) {
    await profileHotPath(database.url, flags.profile as ProfiledScenario, flags.policy, options, resultsDir);
  } else {
    await runAll();
  }
} finally {
  for (const server of servers) await server.stop();
  closeProbeConnections();
  await database.stop();
}

async function runAll(): Promise<void> {
  const recordingCost = await measureRecordingCost();
  if (flags.only === 'recording') return writeReport({ cost: [], recordingCost });
  // Scenarios 1–5 side by side: every server runs at once (idle but for the one under load),
  // new processes every round, measured in paired rounds (see lib/cost.ts).
  options.log(`1–5 bare, static @fastify/cors and corsmesh, ${options.rounds} paired round(s), new processes each, policies ${BENCH_POLICIES.map((p) => p.name).join(' and ')}`);
  const startBare = () => startServerProcess('baseline', 'fastify-echo.server.ts', { env: { BENCH_SERVER_MODE: 'bare' } });
  const startGateway = () => startServerProcess('gateway', 'gateway.server.ts', { env: gatewayEnv(database.url, 20_000) });
  const cost = await runCostRounds(
    {
      start: async () => {
        const [bare, ours, statics] = await Promise.all([
          track(startBare()),
          track(startGateway()),
          Promise.all(
            BENCH_POLICIES.map((policy) =>
              track(startServerProcess(`static ${policy.name}`, 'fastify-echo.server.ts', { env: { BENCH_SERVER_MODE: 'static', BENCH_POLICY: policy.name } })),
            ),
          ),
        ]);
        return { bare, ours, static: Object.fromEntries(BENCH_POLICIES.map((policy, index) => [policy.name, statics[index]!])) };
      },
      stop: async ({ bare, ours, static: statics }) => {
        for (const server of [bare, ours, ...Object.values(statics)]) await stopTracked(server!);
      },
    },
    options,
  );

  let rest: Pick<BenchReport, 'baselineManyTenants' | 'ours' | 'queryCost' | 'invalidation' | 'memory' | 'configImport'> = {};
  if (flags.only !== 'cost') {
    options.log('6 many tenants');
    // The baseline with the request pattern of scenario 6 (a random tenant per request): what
    // building a different request every time costs the client and the server's routing.
    const baselineManyTenants = await withServer(startBare(), (bare) =>
      measureManyTenants(bare, options, { id: '1m', title: 'baseline: 10,000 tenants (random slug)', tenants: 10_000, prewarm: false, gateway: false }),
    );
    const tenants10k = await withServer(startGateway(), (gateway) =>
      measureManyTenants(gateway, options, { id: '6a', title: 'ours: 10,000 tenants, all cached', tenants: 10_000, prewarm: true }),
    );
    const tenants100k = await withServer(startServerProcess('gateway', 'gateway.server.ts', { env: gatewayEnv(database.url, 10_000) }), (server) =>
      measureManyTenants(server, options, { id: '6b', title: 'ours: 100,000 tenants, cache 10,000', tenants: TENANT_COUNT, prewarm: false }),
    );
    const coldStart = await measureColdStart(database.url, options);
    options.log('  cache-miss cost (statements counted on the wire)');
    const queryCost = await measureQueryCost(database.url, options);
    const invalidation = await measureInvalidation(database.url, options);
    const memory = await measureMemory(database.url, TENANT_COUNT, options);
    const configImport = await measureConfigImport(database.url, options);
    rest = { baselineManyTenants, ours: { tenants10k, tenants100k, coldStart }, queryCost, invalidation, memory, configImport };
  }
  // The library in a plain NestJS app (issue 18); its apps need no database.
  const library = flags.only === undefined ? await measureLibraryCost(options, track, stopTracked) : undefined;

  await writeReport({ cost, recordingCost, ...rest, library });
}

/**
 * Traffic recording on and off (issue 14): two gateways alike but for `TRAFFIC_RECORDING`,
 * new ones every round (see lib/recording-cost.ts).
 */
async function measureRecordingCost() {
  options.log(`traffic recording on and off, ${options.rounds} paired round(s), new processes each`);
  return runRecordingCostRounds(
    {
      start: async () => {
        const [on, off] = await Promise.all([
          track(startServerProcess('gateway (recording on)', 'gateway.server.ts', { env: gatewayEnv(database.url, 20_000) })),
          track(startServerProcess('gateway (recording off)', 'gateway.server.ts', { env: gatewayEnv(database.url, 20_000, { TRAFFIC_RECORDING: 'false' }) })),
        ]);
        return { on, off };
      },
      stop: ({ on, off }) => Promise.all([stopTracked(on), stopTracked(off)]).then(() => undefined),
    },
    options,
  );
}

/**
 * Scenarios 1–5 and recording on/off in instructions per request (lib/instructions.ts): every
 * server under callgrind, cases one after another (no pairing needed: the count does not drift
 * with the machine's load). Slow: valgrind runs the servers 5–40 times slower.
 */
async function measureInstructionCounts(): Promise<void> {
  const { launcher, dumps, cleanup } = await callgrindLauncher();
  const start = (name: string, script: string, env: Record<string, string>) => {
    options.log(`  starting ${name} under callgrind`);
    return track(startServerProcess(name, script, { env, launcher, timeoutMs: 600_000 }));
  };
  try {
    const bare = await start('baseline', 'fastify-echo.server.ts', { BENCH_SERVER_MODE: 'bare' });
    const staticServers = new Map<string, ServerProcess>();
    for (const policy of BENCH_POLICIES) {
      staticServers.set(policy.name, await start(`static ${policy.name}`, 'fastify-echo.server.ts', { BENCH_SERVER_MODE: 'static', BENCH_POLICY: policy.name }));
    }
    const gateway = await start('gateway', 'gateway.server.ts', gatewayEnv(database.url, 20_000, { ...CALLGRIND_GATEWAY_ENV, BENCH_MANUAL_FLUSH: 'true' }));
    const withoutRecording = await start('gateway (recording off)', 'gateway.server.ts', gatewayEnv(database.url, 20_000, { ...CALLGRIND_GATEWAY_ENV, TRAFFIC_RECORDING: 'false' }));
    for (const server of [gateway, withoutRecording]) await server.command('warm', { from: 0, count: RECORDING_SPREAD_TENANTS, concurrency: 32 });

    const cost: InstructionCase[] = costCases().map((c) => ({
      id: c.id,
      server: c.server === 'bare' ? bare : c.server === 'static' ? staticServers.get(c.policy)! : gateway,
      request: requestOf(benchPolicy(c.policy), c.kind),
      expectSuccess: c.expectSuccess,
      flushes: c.server === 'ours',
    }));
    const recording: InstructionCase[] = [
      { id: recordingOnId('spread'), server: gateway, request: recordingRequestOf('spread'), expectSuccess: true, flushes: true },
      ...RECORDING_KINDS.map((kind) => ({
        id: recordingOffId(kind),
        server: withoutRecording,
        request: recordingRequestOf(kind),
        expectSuccess: kind !== 'refused',
      })),
    ];
    const wanted = flags.cases?.split(',').filter(Boolean);
    const chosen = (c: InstructionCase) => wanted === undefined || wanted.some((part) => c.id.includes(part));
    const settings = { connections: options.connections, ...DEFAULT_INSTRUCTION_OPTIONS };
    options.log(
      `1–5 and recording on/off in instructions per request (a first pass of ${settings.firstPassSeconds} s per case, then ${settings.windows} windows of ${settings.windowSeconds} s after ${settings.warmupSeconds} s of warm-up per case)`,
    );
    const databaseName = new URL(database.url).pathname.slice(1);
    const run = (cases: InstructionCase[]) => runInstructionCases(cases, dumps, { ...settings, database: databaseName, log: options.log });
    const costResults = await run(cost.filter(chosen));
    const recordingResults = await run(recording.filter(chosen));
    await writeInstructionReport(
      {
        startedAt: startedAt.toISOString(),
        machine: { cpu: cpuModel(), cores: availableParallelism(), node: process.version, postgres: database.version, database: database.server },
        settings,
        cost: costResults,
        recording: recordingResults,
      },
      resultsDir,
      options.log,
    );
  } finally {
    for (const server of servers) await stopTracked(server);
    await cleanup();
  }
}

async function writeReport(measured: Pick<BenchReport, 'cost' | 'recordingCost' | 'baselineManyTenants' | 'ours' | 'queryCost' | 'invalidation' | 'memory' | 'configImport' | 'library'>): Promise<void> {
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    machine: {
      cpu: cpuModel(),
      cores: availableParallelism(),
      node: process.version,
      postgres: database.version,
      database: database.server,
      loadAverage: { before: loadBefore, after: loadavg()[0]! },
    },
    settings: { connections: options.connections, duration: options.duration, warmup: options.warmup, rounds: options.rounds, generator: 'wrk (1 thread)' },
    ...measured,
  };
  const targets = evaluateTargets(report);
  options.log(`done\n\n${consoleTable(report, targets)}\n`);
  await mkdir(resultsDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const json = JSON.stringify({ ...report, targets }, null, 2);
  const md = markdown(report, targets);
  for (const name of [stamp, 'latest']) {
    await writeFile(join(resultsDir, `${name}.json`), json);
    await writeFile(join(resultsDir, `${name}.md`), md);
  }
  options.log(`results: bench/results/${stamp}.{json,md} (and latest.{json,md})`);
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown CPU';
  } catch {
    // Not Linux: /proc/cpuinfo does not exist; the model is then simply not reported.
    return 'unknown CPU';
  }
}

function positive(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    process.stderr.write(`--${name} must be a positive number, got ${value}\n`);
    process.exit(2);
  }
  return number;
}
