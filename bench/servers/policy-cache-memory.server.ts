// Memory of the policy cache alone, at any number of tenants (issue 13: 1,000,000), without a
// database: the gateway's own `PolicyCache` (from the build) filled through its start-up path
// (`warm`) with tenant rows as the reader returns them, each parsed from JSON so that every
// string is the tenant's own, as rows read from PostgreSQL are. Answers `fill` (up to a number
// of cached tenants) with memory after two full GCs; needs --expose-gc.
import { allowedOriginOf, slugOf, wildcardRuleOf } from '../lib/bench-tenants.js';
import { importBuilt } from '../lib/dist.js';
import { serveCommands } from '../lib/server-process.js';

type PostgresModule = typeof import('../../libs/dynamic-cors/src/postgres/index.js');
type TenantPolicy = import('../../libs/dynamic-cors/src/postgres/index.js').TenantPolicy;

const { PolicyCache } = await importBuilt<PostgresModule>('libs/dynamic-cors/src/postgres/index.ts');
const maxTenants = Number(process.env.BENCH_CACHE_TENANTS);
const cache = new PolicyCache({
  load: () => Promise.reject(new Error('the memory benchmark reads nothing')),
  maxTenants,
  ttlMs: 3_600_000,
  negativeTtlMs: 5000,
});

/** Tenant `index` as the bench database seeds it (bench/lib/database.ts) and the reader returns it. */
function rowOf(index: number): TenantPolicy {
  const id = (n: number) => `${(index * 3 + n).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
  return JSON.parse(
    JSON.stringify({
      tenantId: id(0),
      slug: slugOf(index),
      name: `Bench tenant ${index}`,
      upstreamUrl: null,
      version: 1,
      policy: {
        origins: [
          { id: id(1), kind: 'exact', value: allowedOriginOf(index) },
          { id: id(2), kind: 'wildcard', value: wildcardRuleOf(index) },
        ],
        allowedMethods: ['GET', 'HEAD', 'POST'],
        allowedHeaders: ['Content-Type'],
        exposedHeaders: ['X-Request-Id'],
        allowCredentials: false,
        maxAge: 600,
        allowPrivateNetwork: false,
        mode: 'enforce',
        preflightStatus: 204,
        timingAllowOrigin: false,
        debugHeader: false,
      },
    }),
  ) as TenantPolicy;
}

async function* pages(from: number, to: number): AsyncGenerator<TenantPolicy[]> {
  for (let start = from; start < to; start += 1000) {
    yield Array.from({ length: Math.min(1000, to - start) }, (_, offset) => rowOf(start + offset));
  }
}

async function fill({ tenants }: { tenants: number }) {
  const started = performance.now();
  await cache.warm(pages(cache.size, tenants));
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return { ...process.memoryUsage(), cacheSize: cache.size, seconds: (performance.now() - started) / 1000 };
}

serveCommands(0, async () => undefined, { fill: (args: { tenants: number }) => fill(args) });
