// `@corsmesh/dynamic-cors/postgres`: the policy source over the corsmesh database. Its own
// entry, so that an app using only `staticPolicySource` never loads `pg`.
export { postgresPolicySource, PostgresPolicySource, type PostgresPolicySourceEvents, type PostgresPolicySourceOptions } from './postgres-policy-source.js';
export { type CachedTenant, PolicyCache, type PolicyCacheEvents, type PolicyCacheOptions, unknownEntryBytes } from './policy-cache.js';
export { MAX_BATCH_LOOKUPS, policyBatchLoader } from './policy-batch-loader.js';
export { PolicyChangeListener, type PolicyChangeListenerEvents, type PolicyChangeListenerOptions, type SourceLogger } from './policy-change.listener.js';
export { type Queryable, type QueryConfig, TenantPolicyReader, type TenantPolicy } from './tenant-policy.reader.js';
export { POLICY_CHANGED_CHANNEL, type PolicyChangedEvent } from './policy-changed.channel.js';
export { DeadlineClient } from './deadline-client.js';
export { RetryingPool } from './retrying-pool.js';
export { deadlinePool, deadlinePoolConfig, type DeadlinePoolOptions, QUERY_TIMEOUT_GRACE_MS } from './deadline-pool.js';
