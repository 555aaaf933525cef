import { startServerProcess } from './server-process.js';

/** Memory per cached policy, at each size filled (see servers/policy-cache-memory.server.ts). */
export interface CacheMemoryResult {
  readonly sizes: readonly { readonly tenants: number; readonly heapBytesPerTenant: number; readonly rssBytesPerTenant: number; readonly fillSeconds: number }[];
}

interface Snapshot {
  readonly heapUsed: number;
  readonly external: number;
  readonly rss: number;
  readonly cacheSize: number;
  readonly seconds: number;
}

/** Issue 13: under 1.5 KiB of JS heap per cached policy. */
export const CACHE_MEMORY_TARGET_BYTES = 1.5 * 1024;

/** The largest size; the run takes about a minute and some 2 GB of memory. */
export const CACHE_MEMORY_SIZES = [100_000, 1_000_000] as const;

/**
 * Issue 13's opt-in memory run (`--only memory`): one process fills the policy cache to 1,000
 * tenants (code compiled), then to each size, reading memory after full GCs; per tenant =
 * difference from the first reading ÷ tenants added. Judged on the JS heap, as scenario 8.
 */
export async function measureCacheMemory(log: (line: string) => void): Promise<CacheMemoryResult> {
  const largest = CACHE_MEMORY_SIZES.at(-1)!;
  const server = await startServerProcess('policy cache (memory)', 'policy-cache-memory.server.ts', {
    env: { BENCH_CACHE_TENANTS: String(largest) },
    nodeFlags: ['--expose-gc', '--max-old-space-size=8192'],
  });
  try {
    const base = await server.command<Snapshot>('fill', { tenants: 1000 });
    const sizes = [];
    for (const tenants of CACHE_MEMORY_SIZES) {
      log(`  filling the policy cache to ${tenants.toLocaleString('en')} tenants`);
      const at = await server.command<Snapshot>('fill', { tenants });
      const added = at.cacheSize - base.cacheSize;
      sizes.push({
        tenants: at.cacheSize,
        heapBytesPerTenant: (at.heapUsed + at.external - base.heapUsed - base.external) / added,
        rssBytesPerTenant: (at.rss - base.rss) / added,
        fillSeconds: at.seconds,
      });
    }
    return { sizes };
  } finally {
    await server.stop();
  }
}
