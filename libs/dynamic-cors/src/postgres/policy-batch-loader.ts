import DataLoader from 'dataloader';
import type { TenantKey } from '../sources/policy-source.js';
import type { TenantPolicy } from './tenant-policy.reader.js';

/** Most lookups in one statement: a batch of this many reads in a few milliseconds. */
export const MAX_BATCH_LOOKUPS = 500;

export interface PolicyBatchLoaderOptions {
  /** Reads many lookups in one statement, answering in their order (null: no such tenant). */
  readonly readMany: (lookups: readonly TenantKey[]) => Promise<readonly (TenantPolicy | null)[]>;
  /** Called once per statement (metrics). */
  readonly onBatch?: () => void;
}

/**
 * Coalesces the policy cache's misses: every lookup asked for while the event loop handles
 * one round of socket reads is read in one statement (DataLoader, scheduled on `setImmediate`,
 * so a batch holds the misses of every request parsed in that round). Under traffic spread
 * over many tenants this turns one query per miss into one per batch: the miss path was
 * bounded by PostgreSQL round trips, not by the gateway (issue 13).
 *
 * DataLoader's own cache is off: the policy cache already shares one load among concurrent
 * misses of a key, and it alone decides what is remembered (TTL, invalidations). An error of
 * the statement rejects every lookup of its batch.
 */
export function policyBatchLoader(options: PolicyBatchLoaderOptions): (lookup: TenantKey) => Promise<TenantPolicy | null> {
  const loader = new DataLoader<TenantKey, TenantPolicy | null>(
    async (lookups) => {
      options.onBatch?.();
      return options.readMany(lookups);
    },
    { cache: false, maxBatchSize: MAX_BATCH_LOOKUPS, batchScheduleFn: (run) => setImmediate(run) },
  );
  return (lookup) => loader.load(lookup);
}
