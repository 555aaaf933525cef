import type pg from 'pg';
import { DeadlineClient } from './deadline-client.js';
import { RetryingPool } from './retrying-pool.js';

/** How a pool to the corsmesh database bounds its waits. */
export interface DeadlinePoolOptions {
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

/**
 * A session left idle inside a transaction (its client lost on a partition, say) is ended by
 * PostgreSQL after this long, so it does not hold its row locks until TCP notices. Prisma's
 * interactive transactions end within 5 s by default, so no live one is cut short.
 */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 15_000;

/**
 * The `pg` pool settings of {@link DeadlinePoolOptions}: every wait bounded (a pooled
 * connection, a statement, an answer), TCP keepalive on, and a query that gets no answer
 * closes its connection.
 */
export function deadlinePoolConfig(options: DeadlinePoolOptions): pg.PoolConfig {
  return {
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: options.idleTimeoutMs,
    ...(options.queryTimeoutMs === undefined
      ? {}
      : {
          statement_timeout: options.queryTimeoutMs,
          query_timeout: options.queryTimeoutMs + QUERY_TIMEOUT_GRACE_MS,
          idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
        }),
    keepAlive: true,
    keepAliveInitialDelayMillis: options.keepAliveDelayMs,
    Client: DeadlineClient,
  };
}

/** A pool with {@link deadlinePoolConfig}'s bounds that runs a read again when its connection was reset. */
export function deadlinePool(options: DeadlinePoolOptions): RetryingPool {
  return new RetryingPool(deadlinePoolConfig(options));
}
