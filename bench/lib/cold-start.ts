import { TENANT_COUNT } from './bench-tenants.js';
import { measureCost } from './cost.js';
import { gatewayMetrics } from './http-probe.js';
import { gatewayEnv, randomTenantRequest, type BenchOptions } from './scenarios.js';
import { startServerProcess } from './server-process.js';
import { runWrk } from './wrk.js';

export interface ColdStartResult {
  /** From forking the process to its listening (start-up warming included). */
  readonly readyAfterSeconds: number;
  /** Policies in the cache when it started listening. */
  readonly warmedAtStart: number;
  /** Requests answered in each second after readiness. */
  readonly timeline: readonly number[];
  readonly warmRequestsPerSecond: number;
  /** The first second whose throughput reached 90% of warm; undefined when none did. */
  readonly secondsTo90Percent: number | undefined;
}

const OBSERVED_SECONDS = 15;

/**
 * Scenario 6c: a gateway just started (cache and start-up warming large enough for every
 * tenant), sent traffic spread uniformly over all 100,000 tenants from the moment it listens. Requests
 * answered per second come from its own decision counter, read every second; its warm
 * throughput is then measured on the same process, the same way, with every tenant cached.
 */
export async function measureColdStart(databaseUrl: string, options: BenchOptions): Promise<ColdStartResult> {
  options.log(`  6c cold start: ${TENANT_COUNT.toLocaleString('en')} tenants, traffic over all of them from readiness on`);
  const started = performance.now();
  // Warming every tenant before readiness is what an operator of 100,000 tenants would set;
  // on a busy two-core machine that start-up takes more than the default minute.
  const gateway = await startServerProcess('gateway (cold start)', 'gateway.server.ts', {
    env: gatewayEnv(databaseUrl, TENANT_COUNT, { POLICY_CACHE_WARM_TENANTS: String(TENANT_COUNT) }),
    timeoutMs: 600_000,
  });
  const readyAfterSeconds = (performance.now() - started) / 1000;
  try {
    const warmedAtStart = (await gateway.command<{ cacheSize: number }>('size')).cacheSize;
    const timeline: number[] = [];
    let last = 0;
    const sampler = setInterval(() => {
      void gatewayMetrics(gateway.url).then((metrics) => {
        const total = metrics.corsmesh_cors_decisions_total ?? 0;
        timeline.push(total - last);
        last = total;
      });
    }, 1000);
    const request = randomTenantRequest(TENANT_COUNT);
    try {
      await runWrk(gateway.url, request, { connections: options.connections, seconds: OBSERVED_SECONDS });
    } finally {
      clearInterval(sampler);
    }
    await gateway.command('warm', { from: 0, count: TENANT_COUNT, concurrency: 32 });
    const warm = await measureCost(gateway, request, options);
    const index = timeline.findIndex((answered) => answered >= 0.9 * warm.requestsPerSecond);
    return {
      readyAfterSeconds,
      warmedAtStart,
      timeline,
      warmRequestsPerSecond: warm.requestsPerSecond,
      secondsTo90Percent: index === -1 ? undefined : index + 1,
    };
  } finally {
    await gateway.stop();
  }
}
