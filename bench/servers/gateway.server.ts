// The gateway under test, in a process of its own, run from the build exactly as
// `npm run start:gateway` runs it. Configured through the environment the parent passes
// (DATABASE_URL, POLICY_CACHE_MAX_TENANTS, ...). Besides `stop`, it answers these commands:
// `warm` loads tenants into its policy cache, `memory` reports memory after a full GC, `size`
// the number of cached policies, `flush` writes the traffic counts recorded so far. With
// BENCH_MANUAL_FLUSH=true its flush timer is stopped: counts are written only on `flush`, so
// that the benchmark can count a flush apart from the requests (lib/instructions.ts).
import type { AddressInfo } from 'node:net';
import { slugOf } from '../lib/bench-tenants.js';
import { importBuilt } from '../lib/dist.js';
import { serveCommands } from '../lib/server-process.js';

type GatewayAppModule = typeof import('../../apps/gateway/src/gateway.app.js');
type GatewayConfigModule = typeof import('../../apps/gateway/src/config/gateway.config.js');
type PolicyCacheModule = typeof import('../../libs/dynamic-cors/src/postgres/index.js');
type ServiceRuntimeModule = typeof import('../../libs/service-runtime/src/index.js');
type TrafficFlusherModule = typeof import('../../apps/gateway/src/traffic/traffic-flusher.js');

const { createGatewayApp } = await importBuilt<GatewayAppModule>('apps/gateway/src/gateway.app.ts');
const { loadGatewayConfig } = await importBuilt<GatewayConfigModule>('apps/gateway/src/config/gateway.config.ts');
const { PolicyCache } = await importBuilt<PolicyCacheModule>('libs/dynamic-cors/src/postgres/index.ts');
const { createLogger } = await importBuilt<ServiceRuntimeModule>('libs/service-runtime/src/index.ts');
const { TrafficFlusher } = await importBuilt<TrafficFlusherModule>('apps/gateway/src/traffic/traffic-flusher.ts');

const config = loadGatewayConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' });
const logger = createLogger({ name: 'gateway', level: config.LOG_LEVEL });
const app = await createGatewayApp(config, logger);
await app.listen({ port: 0, host: '127.0.0.1' });
const cache = app.get(PolicyCache);
// Null with TRAFFIC_RECORDING=false.
const flusher = app.get<unknown, InstanceType<typeof TrafficFlusher> | null>(TrafficFlusher, { strict: false });
if (process.env.BENCH_MANUAL_FLUSH === 'true') await flusher?.stop();

interface WarmArgs {
  /** Tenants `from` … `from + count - 1` (see {@link slugOf}). */
  readonly from: number;
  readonly count: number;
  readonly concurrency: number;
}

async function warm({ from, count, concurrency }: WarmArgs) {
  const started = performance.now();
  let next = from;
  let found = 0;
  const worker = async () => {
    while (next < from + count) {
      if (await cache.get(slugOf(next++))) found++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { found, cacheSize: cache.size, ms: performance.now() - started };
}

async function memory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // Twice, with a turn of the event loop between: weak references and finalizers settle.
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return { ...process.memoryUsage(), cacheSize: cache.size };
}

serveCommands((app.getHttpServer().address() as AddressInfo).port, () => app.close(), {
  warm: (args: WarmArgs) => warm(args),
  memory: () => memory(),
  size: () => ({ cacheSize: cache.size }),
  flush: async () => {
    await flusher?.flush();
    return { recording: flusher !== null };
  },
});
