import type autocannon from 'autocannon';
import pg from 'pg';
import { allowedOriginOf, slugOf } from './bench-tenants.js';
import { measureCost, type CostSample } from './cost.js';
import { gatewayMetrics } from './http-probe.js';
import { runLoad } from './load.js';
import { startQueryCountingProxy } from './query-counter.js';
import type { RandomTenantRequest } from './wrk.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface BenchOptions {
  readonly connections: number;
  readonly duration: number;
  readonly warmup: number;
  readonly changes: number;
  /** Paired rounds of the side-by-side cost comparison (scenarios 1–5). */
  readonly rounds: number;
  readonly log: (line: string) => void;
}

/** A throughput scenario's outcome on the gateway (6a, 6b), measured with wrk. */
export interface LoadScenario {
  readonly id: string;
  readonly title: string;
  readonly sample: CostSample;
  readonly extra?: Record<string, number | string>;
}

const COMMON_HEADERS = { 'user-agent': 'corsmesh-bench', accept: 'application/json' };

/** An actual request from its tenant's allowed origin, for a random tenant below `tenants` (wrk). */
export function randomTenantRequest(tenants: number): RandomTenantRequest {
  return { randomTenants: tenants, headers: COMMON_HEADERS };
}

/** Tenants `from`, `from + 1`, … in turn: each request names a tenant not asked for before. */
function sequentialTenantRequest(from: number): autocannon.Request {
  let next = from;
  return {
    method: 'GET',
    setupRequest: (request) => {
      const index = next++;
      return { ...request, path: `/t/${slugOf(index)}/echo`, headers: { ...COMMON_HEADERS, origin: allowedOriginOf(index) } };
    },
  };
}

export function gatewayEnv(databaseUrl: string, cacheMaxTenants: number, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', POLICY_CACHE_MAX_TENANTS: String(cacheMaxTenants), ...extra };
}

/**
 * Scenario 6: actual requests from each tenant's own origin, spread uniformly at random over
 * `tenants` tenants. With `prewarm`, every tenant is loaded first (the cache holds them all);
 * otherwise misses go to PostgreSQL as they come. Reports the misses and look-ups meanwhile.
 */
export async function measureManyTenants(
  server: ServerProcess,
  options: BenchOptions,
  scenario: { id: string; title: string; tenants: number; prewarm: boolean; gateway?: boolean },
): Promise<LoadScenario> {
  const gateway = scenario.gateway ?? true;
  if (scenario.prewarm) await server.command('warm', { from: 0, count: scenario.tenants, concurrency: 32 });
  options.log(`  ${scenario.id} ${scenario.title}`);
  const before = gateway ? await gatewayMetrics(server.url) : {};
  const sample = await measureCost(server, randomTenantRequest(scenario.tenants), options);
  if (!gateway) return { id: scenario.id, title: scenario.title, sample };
  const after = await gatewayMetrics(server.url);
  const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
  const requests = delta('corsmesh_cors_decisions_total');
  const lookups = delta('corsmesh_policy_lookup_seconds_count');
  return {
    id: scenario.id,
    title: scenario.title,
    sample,
    extra: {
      cacheMisses: delta('corsmesh_policy_cache_misses_total'),
      missRate: requests ? delta('corsmesh_policy_cache_misses_total') / requests : 0,
      databaseLookups: lookups,
      meanLookupMs: lookups ? (delta('corsmesh_policy_lookup_seconds_sum') / lookups) * 1000 : 0,
    },
  };
}

export interface QueryCostResult {
  readonly requests: number;
  readonly cacheMisses: number;
  readonly databaseLookups: number;
  readonly statements: number;
  readonly statementsPerMiss: number;
  readonly plans: readonly { sql: string; plan: string; usesIndex: boolean }[];
}

/**
 * What a cache miss costs PostgreSQL: a gateway connected through a counting proxy receives
 * requests for tenants it has never seen (every one a miss); the statements that cross the
 * wire are compared with the gateway's own miss counter, and every SQL text seen is EXPLAINed.
 */
export async function measureQueryCost(databaseUrl: string, options: BenchOptions, requests = 500): Promise<QueryCostResult> {
  const target = new URL(databaseUrl);
  const proxy = await startQueryCountingProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const proxied = new URL(databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  proxied.searchParams.set('sslmode', 'disable');
  // Without traffic recording: its flushes are statements too, not the misses' (and EXPLAIN
  // below would give them the batch read's parameters).
  const gateway = await startServerProcess('gateway (query count)', 'gateway.server.ts', { env: gatewayEnv(proxied.href, 10_000, { TRAFFIC_RECORDING: 'false' }) });
  try {
    const load = (from: number, amount: number) =>
      runLoad({ url: gateway.url, connections: options.connections, duration: 0, amount, request: sequentialTenantRequest(from) });
    // Fills the connection pool first: opening connections is not what is counted.
    await load(60_000, 100);
    const before = await gatewayMetrics(gateway.url);
    proxy.reset();
    await load(61_000, requests);
    const after = await gatewayMetrics(gateway.url);
    const { statements, sqlTexts } = proxy.counts();
    const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
    const cacheMisses = delta('corsmesh_policy_cache_misses_total');
    return {
      requests,
      cacheMisses,
      databaseLookups: delta('corsmesh_policy_lookup_seconds_count'),
      statements,
      statementsPerMiss: cacheMisses ? statements / cacheMisses : NaN,
      plans: await explain(databaseUrl, sqlTexts),
    };
  } finally {
    await gateway.stop();
    await proxy.close();
  }
}

/**
 * What to EXPLAIN the gateway's batch reads with: slugs (`s.slug = ANY((SELECT $n…`) and
 * hostnames (`h.hostname = ANY((SELECT $n…`), by the parameter the statement gives each; none
 * for other statements.
 */
function batchReadParameters(sql: string): unknown[] {
  const parameters: unknown[] = [];
  const slug = /\.slug = ANY\(\(SELECT \$(\d)/.exec(sql);
  const hostname = /h\.hostname = ANY\(\(SELECT \$(\d)/.exec(sql);
  if (slug) parameters[Number(slug[1]) - 1] = [slugOf(61_000), slugOf(61_001)];
  if (hostname) parameters[Number(hostname[1]) - 1] = ['api.tenant-61010.example.com', '127.0.0.1'];
  return parameters;
}

async function explain(databaseUrl: string, sqlTexts: readonly string[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const plans = [];
    // Only what EXPLAIN takes: the change listener's heartbeat (a NOTIFY) crosses the proxy too.
    for (const sql of sqlTexts.filter((text) => /^\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\b/i.test(text))) {
      const parameters = batchReadParameters(sql);
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${sql}`, parameters);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      plans.push({ sql: sql.replace(/\s+/g, ' ').trim(), plan, usesIndex: /Index/.test(plan) && !/Seq Scan/.test(plan) });
    }
    return plans;
  } finally {
    await client.end();
  }
}
