import pg from 'pg';
import type { Socket } from 'node:net';

const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/**
 * The `pg` client of every pool and connection of corsmesh. It closes its connection when a
 * query gets no answer within `query_timeout`: pg itself only gives up on the query and keeps
 * the connection, whose answer is still owed, so on a network that silently drops packets a
 * connection released after a failed query of a transaction would go back to the pool and
 * stall the next query behind the lost one (issue 17). Closed, it is dropped from the pool
 * instead and replaced by a fresh connection.
 *
 * It also sends promise-style queries one after another, each once the one before it has
 * settled: pg's own queue for a query issued while another runs is deprecated and becomes an
 * error in pg 9, and Prisma's query plans read related rows with concurrent queries, which
 * inside a transaction all go to one connection (prisma/orm#29468). The connection runs one
 * query at a time either way; only who waits changes.
 */
export class DeadlineClient extends pg.Client {
  /** Promise-style queries sent or waiting that have not settled. */
  private unsettled = 0;
  /** Settles (never rejects) when the last of them has. */
  private lastSettled: Promise<unknown> = Promise.resolve();

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // Wraps pg's own `query`, whose overloads (promise, callback, submittable) callers keep.
    const query = (super.query as (...args: unknown[]) => unknown).bind(this);
    this.query = ((...args: unknown[]) => {
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (error: Error | null, result: unknown) => {
          this.closeIfTimedOut(error);
          (callback as (error: Error | null, result: unknown) => void)(error, result);
        };
        return query(...args);
      }
      // A submittable (pg-cursor, pg-query-stream) is driven by its caller's events.
      if (typeof (args[0] as { submit?: unknown } | null)?.submit === 'function') return query(...args);
      return this.inTurn(() => query(...args) as Promise<unknown>).catch((error: unknown) => {
        this.closeIfTimedOut(error);
        throw error;
      });
    }) as pg.Client['query'];
  }

  /**
   * Closes the connection at once, without the goodbye `end()` waits for, which a dead network
   * never answers (the socket would linger until TCP gives up, minutes later).
   */
  destroy(): void {
    // `connection.stream` is pg's socket; pg and pg-pool destroy it the same way on their own timeouts.
    (this as unknown as { connection: { stream: Socket } }).connection.stream.destroy();
  }

  /** Sends the query now when no other is unsettled (a query's usual case: no extra turn of the event loop), else after the last. */
  private inTurn(send: () => Promise<unknown>): Promise<unknown> {
    const result = this.unsettled === 0 ? send() : this.lastSettled.then(send);
    this.unsettled++;
    const settle = () => void this.unsettled--;
    this.lastSettled = result.then(settle, settle);
    return result;
  }

  private closeIfTimedOut(error: unknown): void {
    if (error instanceof Error && error.message === QUERY_TIMEOUT_MESSAGE) this.destroy();
  }
}
