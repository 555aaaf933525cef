import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { summariseCpuProfile } from '../profile/summarise-cpu-profile.js';
import { benchPolicy, TENANT_COUNT } from './bench-tenants.js';
import { measureCost, requestOf } from './cost.js';
import { RECORDING_SPREAD_TENANTS } from './recording-cost.js';
import { measureManyTenants, gatewayEnv, type BenchOptions } from './scenarios.js';
import { startServerProcess } from './server-process.js';

/** What `--profile` can put the gateway under. */
export const PROFILED_SCENARIOS = ['actual', 'preflight', 'refused', 'misses', 'spread'] as const;
export type ProfiledScenario = (typeof PROFILED_SCENARIOS)[number];

/**
 * `npm run bench -- --profile [actual|preflight|refused|misses|spread] [--policy simple|credentialed]`:
 * one scenario (ours actual, preflight, refused, 6b, or the recording comparison's 1,000 tenants at random) against a gateway running under `node --cpu-prof`; the profile (written when the gateway
 * exits) lands in bench/results/profiles/ and its top self-time functions are printed. For
 * actual requests and preflights the static `@fastify/cors` peer is profiled after it under the
 * same load, so that the two can be read side by side.
 */
export async function profileHotPath(
  databaseUrl: string,
  scenario: ProfiledScenario,
  policyName: string,
  options: BenchOptions,
  resultsDir: string,
): Promise<void> {
  const dir = join(resultsDir, 'profiles');
  await mkdir(dir, { recursive: true });
  await profileOne(dir, options, 'gateway', () => profileGateway(databaseUrl, scenario, policyName, options, dir));
  if (scenario === 'actual' || scenario === 'preflight') {
    await profileOne(dir, options, `static @fastify/cors (${policyName})`, () => profileStaticPeer(scenario, policyName, options, dir));
  }
}

/** Runs one profiled server and prints the summary of the profile it wrote. */
async function profileOne(dir: string, options: BenchOptions, name: string, run: () => Promise<void>): Promise<void> {
  const before = new Set(await readdir(dir));
  await run();
  const written = (await readdir(dir)).filter((file) => file.endsWith('.cpuprofile') && !before.has(file));
  for (const file of written) {
    options.log(`\n${name}: ${join('bench', 'results', 'profiles', file)}`);
    options.log(await summariseCpuProfile(join(dir, file), 30));
  }
}

async function profileStaticPeer(scenario: 'actual' | 'preflight', policyName: string, options: BenchOptions, dir: string): Promise<void> {
  const peer = await startServerProcess('static (profiled)', 'fastify-echo.server.ts', {
    env: { BENCH_SERVER_MODE: 'static', BENCH_POLICY: policyName },
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  });
  try {
    const sample = await measureCost(peer, requestOf(benchPolicy(policyName), scenario), options);
    options.log(`  static: ${Math.round(sample.requestsPerSecond)} req/s, ${sample.cpuMicrosPerRequest.toFixed(1)} µs CPU per request under the profiler`);
  } finally {
    await peer.stop();
  }
}

async function profileGateway(databaseUrl: string, scenario: ProfiledScenario, policyName: string, options: BenchOptions, dir: string): Promise<void> {
  const gateway = await startServerProcess('gateway (profiled)', 'gateway.server.ts', {
    env: gatewayEnv(databaseUrl, scenario === 'misses' ? 10_000 : 20_000),
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  });
  try {
    if (scenario === 'misses') {
      const measured = await measureManyTenants(gateway, options, { id: '6b', title: 'misses (profiled)', tenants: TENANT_COUNT, prewarm: false });
      options.log(`  ${Math.round(measured.sample.requestsPerSecond)} req/s under the profiler ${JSON.stringify(measured.extra ?? {})}`);
    } else if (scenario === 'spread') {
      const measured = await measureManyTenants(gateway, options, { id: 'spread', title: 'spread (profiled)', tenants: RECORDING_SPREAD_TENANTS, prewarm: true });
      options.log(`  ${Math.round(measured.sample.requestsPerSecond)} req/s, ${measured.sample.cpuMicrosPerRequest.toFixed(1)} µs CPU per request under the profiler`);
    } else {
      const sample = await measureCost(gateway, requestOf(benchPolicy(policyName), scenario), options);
      options.log(`  ${Math.round(sample.requestsPerSecond)} req/s, ${sample.cpuMicrosPerRequest.toFixed(1)} µs CPU per request under the profiler`);
    }
  } finally {
    await gateway.stop();
  }
}
