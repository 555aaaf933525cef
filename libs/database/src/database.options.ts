/** Options of {@link DatabaseModule.forRoot}. */
export interface DatabaseOptions {
  /** PostgreSQL connection URL. */
  readonly url: string;
  /** Connections in the pool of this process. */
  readonly poolSize?: number;
  /**
   * How long a query waits for a pooled connection (a free one, or a new one being opened)
   * before failing, in milliseconds.
   */
  readonly connectTimeoutMs?: number;
  /**
   * Longest a statement may run, in milliseconds: PostgreSQL cancels it then (`statement_timeout`)
   * and the connection is kept; with no answer at all {@link QUERY_TIMEOUT_GRACE_MS} later (a
   * network that drops everything), the connection is closed and the query fails.
   */
  readonly queryTimeoutMs?: number;
  /** A pooled connection unused this long is closed, in milliseconds (pg's default: 10 s). */
  readonly idleTimeoutMs?: number;
  /** TCP keepalive: first probe after this much silence on a connection, in milliseconds. */
  readonly keepAliveDelayMs?: number;
}

/**
 * How much longer than PostgreSQL's own statement timeout the client waits for an answer, so
 * that a slow statement is cancelled by the server (connection kept) and only a silent network
 * trips the client's deadline (connection dropped).
 */
export const QUERY_TIMEOUT_GRACE_MS = 500;

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

/** The `DATABASE_*` variables both apps read (validated by each app's configuration). */
export interface DatabaseEnv {
  readonly DATABASE_URL: string;
  readonly DATABASE_POOL_SIZE: number;
  readonly DATABASE_POOL_TIMEOUT_MS: number;
  readonly DATABASE_QUERY_TIMEOUT_MS: number;
  readonly DATABASE_IDLE_TIMEOUT_MS: number;
  readonly DATABASE_KEEPALIVE_MS: number;
}

/** {@link DatabaseOptions} from an app's validated `DATABASE_*` variables. */
export function databaseOptionsOf(env: DatabaseEnv): DatabaseOptions {
  return {
    url: env.DATABASE_URL,
    poolSize: env.DATABASE_POOL_SIZE,
    connectTimeoutMs: env.DATABASE_POOL_TIMEOUT_MS,
    queryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_MS,
    idleTimeoutMs: env.DATABASE_IDLE_TIMEOUT_MS,
    keepAliveDelayMs: env.DATABASE_KEEPALIVE_MS,
  };
}
