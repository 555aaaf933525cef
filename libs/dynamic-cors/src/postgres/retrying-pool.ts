import { setTimeout } from 'node:timers/promises';
import pg from 'pg';

// How pg reports a connection that died under a query (reset, closed by the server or a proxy).
const CONNECTION_LOST = /Connection terminated unexpectedly|Client has encountered a connection error|read ECONNRESET|write EPIPE/;
const READ_ONLY = /^\s*SELECT\b/i;
/**
 * A reset usually kills every connection at once, and the pool may still hold idle ones it has
 * not heard about yet: a pause lets their errors arrive (and the pool drop them), and a few
 * attempts get past those it could not know about (a middlebox that lost its state answers
 * each connection's next packet with a reset).
 */
const MAX_RETRIES = 3;
const RETRY_PAUSE_MS = 20;

/**
 * A `pg` pool that runs a SELECT again, on another connection, when its connection was lost
 * before the answer came (reset by a restarting load balancer or proxy, issue 17). A read is
 * safe to repeat; a write is not (it may have committed before the reset), so only SELECTs
 * are, and only when called the way Prisma's adapter calls (a promise, no callback). A query
 * that timed out is not run again: on a partition that would only double the wait.
 */
export class RetryingPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super(config);
    const query = (super.query as (...args: unknown[]) => unknown).bind(this);
    const attempt = (args: unknown[], retries: number): Promise<unknown> =>
      (query(...args) as Promise<unknown>).catch(async (error: unknown) => {
        if (retries === 0 || !(error instanceof Error) || !CONNECTION_LOST.test(error.message)) throw error;
        await setTimeout(RETRY_PAUSE_MS);
        return attempt(args, retries - 1);
      });
    this.query = ((...args: unknown[]) => {
      const isRead = typeof args.at(-1) !== 'function' && args.length <= 2 && READ_ONLY.test(textOf(args[0]));
      return isRead ? attempt(args, MAX_RETRIES) : query(...args);
    }) as pg.Pool['query'];
  }
}

function textOf(query: unknown): string {
  if (typeof query === 'string') return query;
  const text = (query as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : '';
}
