import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/** Failed authentications one client address may make per window before it is blocked. */
export const MAX_AUTH_FAILURES = 10;
/** Length of the window, which starts at a client's first failure. */
export const AUTH_FAILURE_WINDOW_MS = 60_000;

interface FailureWindow {
  count: number;
  readonly resetsAt: number;
}

/**
 * Counts failed authentications per client address so that tokens cannot be guessed at speed.
 *
 * Hand-written rather than `@nestjs/throttler`: that package is CommonJS and requires the
 * ESM-only NestJS 12, which fails under Jest on Node 20. It would also count every request,
 * while only failures should: a busy dashboard must not be throttled.
 *
 * In memory and per process, like the throttler's default storage: behind a load balancer each
 * admin copy limits on its own, which still bounds guessing to a fixed rate per copy.
 */
@Injectable()
export class AuthFailureLimiter {
  // Bounded, so a flood of spoofed or rotating addresses cannot exhaust memory; the oldest
  // entries go first, which only ever forgets a blocked attacker early.
  private readonly windows = new LRUCache<string, FailureWindow>({ max: 10_000, ttl: AUTH_FAILURE_WINDOW_MS });

  /** Seconds until `client` may try again, or 0 when it is not blocked. */
  retryAfterSeconds(client: string, now = Date.now()): number {
    const window = this.windows.get(client);
    if (window === undefined || window.resetsAt <= now || window.count < MAX_AUTH_FAILURES) return 0;
    return Math.max(1, Math.ceil((window.resetsAt - now) / 1000));
  }

  /** Records one failed authentication by `client`. */
  recordFailure(client: string, now = Date.now()): void {
    const window = this.windows.get(client);
    if (window === undefined || window.resetsAt <= now) {
      this.windows.set(client, { count: 1, resetsAt: now + AUTH_FAILURE_WINDOW_MS });
    } else {
      window.count += 1;
    }
  }
}
