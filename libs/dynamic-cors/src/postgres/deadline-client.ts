import pg from 'pg';
import type { Socket } from 'node:net';

const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/**
 * A `pg` client that closes its connection when a query gets no answer within `query_timeout`.
 * pg itself only gives up on the query and keeps the connection, whose answer is still owed: on
 * a network that silently drops packets, a connection released after a failed query of a
 * transaction would go back to the pool and stall the next query behind the lost one (issue 17).
 * Closed, it is dropped from the pool instead and replaced by a fresh connection.
 */
export class DeadlineClient extends pg.Client {
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
      }
      const result = query(...args);
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
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

  private closeIfTimedOut(error: unknown): void {
    if (error instanceof Error && error.message === QUERY_TIMEOUT_MESSAGE) this.destroy();
  }
}
