import autocannon from 'autocannon';

/** One autocannon run: a fixed request, or one built per request (`setupRequest`). */
export interface LoadSpec {
  readonly url: string;
  readonly connections: number;
  /** Seconds; ignored when `amount` is set. */
  readonly duration: number;
  /** Stop after this many requests instead of after `duration`. */
  readonly amount?: number;
  readonly request: autocannon.Request;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses by status code. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly timeouts: number;
}

/**
 * Runs autocannon against a server in another process. Latencies are taken from autocannon's
 * `response` events (sub-millisecond, every status code) rather than from its histogram,
 * which keeps whole milliseconds and 2xx responses only: a 403 or 204 scenario would
 * otherwise report nothing, and loopback latencies all round to 0 or 1 ms.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const statuses: Record<string, number> = {};
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    amount: spec.amount,
    timeout: 10,
    requests: [spec.request],
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const sorted = latencies.subarray(0, count).sort();
  const percentile = (p: number) => (count === 0 ? NaN : sorted[Math.min(count - 1, Math.ceil((p / 100) * count) - 1)]!);
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    requests: count,
    seconds: result.duration,
    requestsPerSecond: count / result.duration,
    meanMs: count ? sum / count : NaN,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
