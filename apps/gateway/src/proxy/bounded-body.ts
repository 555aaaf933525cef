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
  /**
   * Slowest average rate accepted once `MIN_RATE_GRACE_MS` have passed (0: none); a slower
   * body fails with 408 long before the deadline.
   */
  readonly minBytesPerSecond: number;
}

/** Time a body may take to get going before its rate counts (Kestrel's default grace, too). */
export const MIN_RATE_GRACE_MS = 5000;
const RATE_CHECK_INTERVAL_MS = 1000;

/**
 * A request body streamed to an upstream with a size limit, a deadline and a minimum rate
 * (issue 19, item 4 and "the 10 MB body limit does not apply to proxied bodies"). Fastify's own
 * `bodyLimit` only covers the bodies it parses, and Node's `requestTimeout` is checked every
 * 30 s only; a body trickled at one byte every few seconds would otherwise hold an upstream
 * connection until the deadline, and a few hundred such clients hold every connection. The
 * rate is the average since the grace period began, as in Kestrel's `MinRequestBodyDataRate`,
 * so a client that pauses briefly on a fast link is not cut off.
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
      clearInterval(rateCheck);
      callback();
    },
  });

  function watchRate(): NodeJS.Timeout {
    const started = Date.now();
    const check = setInterval(() => {
      const counted = Date.now() - started - MIN_RATE_GRACE_MS;
      if (counted > 0 && received < (bounds.minBytesPerSecond * counted) / 1000) {
        bounded.destroy(new BodyRefusedError(408, `the request body arrived slower than ${bounds.minBytesPerSecond} bytes per second`));
      }
    }, RATE_CHECK_INTERVAL_MS);
    check.unref();
    return check;
  }
  const timer = setTimeout(() => {
    bounded.destroy(new BodyRefusedError(408, `the request body did not arrive within ${bounds.deadlineMs / 1000} s`));
  }, bounds.deadlineMs);
  timer.unref();
  const rateCheck = bounds.minBytesPerSecond > 0 ? watchRate() : undefined;
  bounded.on('close', () => {
    clearTimeout(timer);
    clearInterval(rateCheck);
  });
  payload.on('error', (error) => bounded.destroy(error));
  payload.pipe(bounded);
  return bounded;
}
