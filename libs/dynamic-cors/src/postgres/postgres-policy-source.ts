import { Logger } from '@nestjs/common';
import type { PolicySource, TenantKey } from '../sources/policy-source.js';
import { deadlinePool, type DeadlinePoolOptions } from './deadline-pool.js';
import { policyBatchLoader } from './policy-batch-loader.js';
import { type CachedTenant, PolicyCache, type PolicyCacheEvents } from './policy-cache.js';
import { PolicyChangeListener, type PolicyChangeListenerEvents, type SourceLogger } from './policy-change.listener.js';
import { type Queryable, TenantPolicyReader } from './tenant-policy.reader.js';

/** PostgreSQL's SQLSTATE for a relation that does not exist. */
const UNDEFINED_TABLE = '42P01';

/** Options of {@link postgresPolicySource}; every field but `databaseUrl` has the gateway's default. */
export interface PostgresPolicySourceOptions {
  /** The corsmesh database, the one the admin app manages. */
  readonly databaseUrl: string;
  /**
   * Reads go through this pool instead of one of the source's own (`pg.Pool`, or anything with
   * its promise `query`): the gateway shares its Prisma pool. Not closed by the source.
   */
  readonly pool?: Queryable;
  /** The source's own pool, when it has one (default: 5 connections, 2 s deadlines). */
  readonly poolOptions?: Omit<DeadlinePoolOptions, 'url'>;
  /** Most tenants kept in memory (default 10,000; about 1 KiB each). */
  readonly maxTenants?: number;
  /** A cached policy is read again in the background after this long (default 300 s); change notices evict it at once. */
  readonly ttlSeconds?: number;
  /** How long "no such tenant" is remembered (default 5 s). */
  readonly unknownTtlSeconds?: number;
  /** Tenants read into the cache at start-up, most recently updated first (default 10,000; 0: none). */
  readonly warmTenants?: number;
  /** The change-notice connection's heartbeat: a pause, then an answer awaited this long (defaults 5 s and 3 s). */
  readonly heartbeatIntervalMs?: number;
  readonly heartbeatTimeoutMs?: number;
  /** Longest wait for the change-notice connection (default 2 s), and its TCP keepalive delay (default 10 s). */
  readonly connectTimeoutMs?: number;
  readonly keepAliveDelayMs?: number;
  /** Where the source logs (pino's shape; default Nest's `Logger`). */
  readonly logger?: SourceLogger;
  /** Counters for metrics. */
  readonly events?: PostgresPolicySourceEvents;
}

/** What the source reports to (metrics), all optional. */
export interface PostgresPolicySourceEvents {
  readonly cache?: PolicyCacheEvents;
  readonly listener?: PolicyChangeListenerEvents;
  /** One statement read a batch of misses. */
  readonly batchRead?: () => void;
  /** A change notice arrived. */
  readonly changeReceived?: () => void;
}

/**
 * Tenant policies from the corsmesh database, as the gateway serves them: an in-process cache
 * (bounded LRU, background refresh, the last known policy served while the database is down),
 * the misses of one event-loop turn read in one statement, evictions from the database's
 * change notices (LISTEN/NOTIFY on a connection proven alive by a heartbeat, every cached
 * policy read again after it was lost), and a warm-up before the app serves. An origin added
 * on the admin's dashboard is served within a second.
 *
 * Keys are slugs, or `{ hostname }` for the hostnames registered for tenants: an unknown slug
 * is a 404, an unknown hostname not a tenant request (the app's own routes).
 */
export class PostgresPolicySource implements PolicySource<TenantKey> {
  readonly reader: TenantPolicyReader;
  readonly cache: PolicyCache;
  private readonly listener: PolicyChangeListener;
  private readonly ownPool?: { end(): Promise<void> };
  private readonly logger: SourceLogger;

  constructor(private readonly options: PostgresPolicySourceOptions) {
    if (typeof options.databaseUrl !== 'string' || !/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw new Error('postgresPolicySource: databaseUrl must be a postgresql:// URL');
    }
    this.logger = options.logger ?? nestLogger();
    let pool = options.pool;
    if (pool === undefined) {
      const own = deadlinePool({ url: options.databaseUrl, poolSize: 5, connectTimeoutMs: 2000, queryTimeoutMs: 2000, ...options.poolOptions });
      // An idle connection that fails (the server restarted) is dropped by the pool; without a listener it would crash the app.
      own.on('error', (error) => this.logger.warn({ err: error }, 'policy source: an idle database connection failed'));
      this.ownPool = own;
      pool = own;
    }
    this.reader = new TenantPolicyReader(pool);
    const events = options.events ?? {};
    this.cache = new PolicyCache({
      load: policyBatchLoader({ readMany: (keys) => this.reader.readMany(keys), onBatch: events.batchRead }),
      maxTenants: options.maxTenants ?? 10_000,
      ttlMs: (options.ttlSeconds ?? 300) * 1000,
      negativeTtlMs: (options.unknownTtlSeconds ?? 5) * 1000,
      events: events.cache,
    });
    this.listener = new PolicyChangeListener({
      databaseUrl: options.databaseUrl,
      logger: this.logger,
      onChange: (event) => {
        events.changeReceived?.();
        this.cache.invalidate(event);
      },
      onResync: () => this.cache.revalidateAll(),
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5000,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 3000,
      connectTimeoutMs: options.connectTimeoutMs ?? 2000,
      keepAliveDelayMs: options.keepAliveDelayMs ?? 10_000,
      events: events.listener,
    });
  }

  forTenant(key: TenantKey): CachedTenant | null | undefined | Promise<CachedTenant | null | undefined> {
    const found = this.cache.get(key);
    // A hostname that is no tenant's is not a tenant request: the app's own routes answer it.
    if (typeof key === 'string') return found;
    if (found instanceof Promise) return found.then((tenant) => tenant ?? undefined);
    return found ?? undefined;
  }

  /** True while change notices can arrive (the connection proven alive): false means policies may be stale. */
  get isReady(): boolean {
    return this.listener.isListening;
  }

  /**
   * Starts listening for change notices (retried in the background if the database is down),
   * then warms the cache: after the listener, so that a change meanwhile is not missed.
   */
  async start(): Promise<void> {
    await this.listener.start();
    await this.warm();
  }

  async stop(): Promise<void> {
    await this.listener.stop();
    await this.ownPool?.end();
  }

  /**
   * The most recently updated tenants, read before the app serves: a cold process in front of
   * many tenants would otherwise answer its first seconds from PostgreSQL (issue 13). A
   * database that cannot be read now only means a cold start.
   */
  private async warm(): Promise<void> {
    const count = Math.min(this.options.warmTenants ?? 10_000, this.options.maxTenants ?? 10_000);
    if (count === 0) return;
    const started = performance.now();
    try {
      const stored = await this.cache.warm(this.reader.recent(count));
      this.logger.info({ tenants: stored, ms: Math.round(performance.now() - started) }, 'policy cache warmed');
    } catch (error) {
      // Not fatal: the app may start before the admin app has migrated the database. But say
      // plainly why every tenant request will answer 503 until then.
      const message =
        (error as { code?: unknown }).code === UNDEFINED_TABLE
          ? 'the database has no corsmesh tables (yet): tenant requests answer 503 until the corsmesh admin app has migrated it; check that databaseUrl is the database the admin app manages'
          : 'policy cache not warmed: tenants are read as they are asked for';
      this.logger.warn({ err: error }, message);
    }
  }
}

/** A policy source reading the corsmesh database the admin app manages (see {@link PostgresPolicySource}). */
export function postgresPolicySource(options: PostgresPolicySourceOptions): PostgresPolicySource {
  return new PostgresPolicySource(options);
}

/** {@link SourceLogger} over Nest's `Logger`, for apps that give none. */
function nestLogger(): SourceLogger {
  const logger = new Logger('DynamicCors');
  const line = (fields: object | string, message?: string) =>
    message === undefined ? String(fields) : `${message} ${JSON.stringify(fields, (key, value: unknown) => (value instanceof Error ? value.message : value))}`;
  return {
    info: (fields: object | string, message?: string) => logger.log(line(fields, message)),
    warn: (fields: object, message: string) => logger.warn(line(fields, message)),
    error: (fields: object, message: string) => logger.error(line(fields, message)),
  } as SourceLogger;
}
