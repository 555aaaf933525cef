import { Transform, type Readable } from 'node:stream';

/** Why a proxied request body was cut off, with the HTTP status it is answered with. */
export class BodyRefusedError extends Error {
  /** Read by the problem+json filter when Fastify fails the request before the handler. */
  readonly statusCode: 408 | 413;

  constructor(status: 408 | 413, message: string) {
    super(message);
    this.name = 'BodyRefusedError';
    this.statusCode = status;
  }
}

export interface BodyBounds {
  /** Largest body passed on; a larger one fails with 413. */
  readonly limitBytes: number;
  /** The whole body must have arrived this long after the request's headers, or it fails with 408. */
  readonly deadlineMs: number;
}

/**
 * A request body streamed to an upstream with a size limit and a deadline (issue 19, item 4
 * and "the 10 MB body limit does not apply to proxied bodies"). Fastify's own `bodyLimit` only
 * covers the bodies it parses, and Node's `requestTimeout` is checked every 30 s only; a body
 * trickled at one byte every few seconds would otherwise hold an upstream connection for as
 * long as the client likes.
 */
export function boundedBody(payload: Readable, bounds: BodyBounds): Transform {
  let received = 0;
  const bounded = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > bounds.limitBytes) {
        callback(new BodyRefusedError(413, `the request body is larger than ${bounds.limitBytes} bytes`));
        return;
      }
      callback(null, chunk);
    },
    flush(callback) {
      clearTimeout(timer);
      callback();
    },
  });
  const timer = setTimeout(() => {
    bounded.destroy(new BodyRefusedError(408, `the request body did not arrive within ${bounds.deadlineMs / 1000} s`));
  }, bounds.deadlineMs);
  timer.unref();
  bounded.on('close', () => clearTimeout(timer));
  payload.on('error', (error) => bounded.destroy(error));
  payload.pipe(bounded);
  return bounded;
}
