import { gatewayEnv, type BenchOptions } from './scenarios.js';
import { startServerProcess } from './server-process.js';

interface MemorySnapshot {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly cacheSize: number;
}

export interface MemoryResult {
  readonly tenants: number;
  readonly before: MemorySnapshot;
  readonly after: MemorySnapshot;
  /** JS heap (after a full GC) per cached tenant: what the target is about. */
  readonly heapBytesPerTenant: number;
  /** Resident memory per cached tenant, allocator and heap headroom included. */
  readonly rssBytesPerTenant: number;
  readonly warmSeconds: number;
}

/**
 * Scenario 8: a gateway (with `--expose-gc`) whose cache holds every tenant. Memory is read
 * after a full GC once a few tenants are cached (code compiled, pools open), then again after
 * all of them are loaded; the difference divided by the tenants added is the cost of one.
 */
export async function measureMemory(databaseUrl: string, tenants: number, options: BenchOptions): Promise<MemoryResult> {
  options.log(`  8 memory: loading ${tenants.toLocaleString('en')} tenant policies into one gateway`);
  const gateway = await startServerProcess('gateway (memory)', 'gateway.server.ts', {
    env: { ...gatewayEnv(databaseUrl, tenants), DATABASE_POOL_SIZE: '20' },
    nodeFlags: ['--expose-gc'],
  });
  try {
    const first = 1000;
    await gateway.command('warm', { from: 0, count: first, concurrency: 16 });
    const before = await gateway.command<MemorySnapshot>('memory');
    const warm = await gateway.command<{ ms: number }>('warm', { from: first, count: tenants - first, concurrency: 32 });
    const after = await gateway.command<MemorySnapshot>('memory');
    const added = after.cacheSize - before.cacheSize;
    return {
      tenants: after.cacheSize,
      before,
      after,
      heapBytesPerTenant: (after.heapUsed + after.external - before.heapUsed - before.external) / added,
      rssBytesPerTenant: (after.rss - before.rss) / added,
      warmSeconds: warm.ms / 1000,
    };
  } finally {
    await gateway.stop();
  }
}
