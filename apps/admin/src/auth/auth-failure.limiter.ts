import { Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';

/** Failed authentications one client address, or one credential, may see per window. */
export const MAX_AUTH_FAILURES = 10;
/** Length of the window, which starts at the first failure it counts. */
export const AUTH_FAILURE_WINDOW_MS = 60_000;
/** Entries each counter keeps at most, whatever an attacker rotates. */
export const AUTH_FAILURE_MAX_ENTRIES = 10_000;

interface FailureWindow {
  count: number;
  readonly resetsAt: number;
}

/**
 * Counts failed authentications per client address and per API key id (the public `<prefix>`
 * of `cmk_<prefix>_…`, from whatever address) so that guessing is told to stop: past
 * {@link MAX_AUTH_FAILURES} in a window on either count, a wrong token gets 429 with
 * `Retry-After` instead of 401. Root-token guesses count per address only: a global count
 * would answer every mistyped root token 429 while anyone anywhere guesses.
 *
 * Only failures are counted, and only failures are answered 429: a correct token always
 * authenticates (SPEC "Security contract"), so neither a guesser at the same address nor one
 * rotating addresses against a key can lock out the credential's holder.
 *
 * Hand-written rather than `@nestjs/throttler`: that package is CommonJS and requires the
 * ESM-only NestJS 12, which fails under Jest on Node 20. It would also count every request,
 * while only failures should: a busy dashboard must not be throttled.
 *
 * In memory and per process: behind a load balancer each admin copy counts on its own.
 */
@Injectable()
export class AuthFailureLimiter {
  // Bounded, so a flood of rotating addresses or key ids cannot exhaust memory; the oldest
  // entries go first, which only ever forgets a guesser early.
  private readonly byAddress = new LRUCache<string, FailureWindow>({
    max: AUTH_FAILURE_MAX_ENTRIES,
    ttl: AUTH_FAILURE_WINDOW_MS,
  });
  private readonly byKeyId = new LRUCache<string, FailureWindow>({
    max: AUTH_FAILURE_MAX_ENTRIES,
    ttl: AUTH_FAILURE_WINDOW_MS,
  });

  /**
   * Records one failed authentication from `address`, with the API key `keyId` when the token
   * had a key's shape, and returns the seconds until such failures are answered 401 again, or
   * 0 while every count is within the limit.
   */
  recordFailure(address: string, keyId: string | null, now = Date.now()): number {
    const byAddress = count(this.byAddress, clientOf(address), now);
    return keyId === null ? byAddress : Math.max(byAddress, count(this.byKeyId, keyId, now));
  }

  /** Entries held, for tests of the bound. */
  get size(): { readonly addresses: number; readonly keyIds: number } {
    return { addresses: this.byAddress.size, keyIds: this.byKeyId.size };
  }
}

/** Counts one failure under `key`; the seconds its window still runs once past the limit, else 0. */
function count(windows: LRUCache<string, FailureWindow>, key: string, now: number): number {
  const window = windows.get(key);
  if (window === undefined || window.resetsAt <= now) {
    windows.set(key, { count: 1, resetsAt: now + AUTH_FAILURE_WINDOW_MS });
    return 0;
  }
  window.count += 1;
  return window.count > MAX_AUTH_FAILURES ? Math.max(1, Math.ceil((window.resetsAt - now) / 1000)) : 0;
}

/**
 * The client an address stands for: IPv4 as it is (IPv4-mapped IPv6 included), IPv6 by its
 * /64, the smallest block a host is usually given, so rotating within one's own network does
 * not give a fresh budget per address.
 */
export function clientOf(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((part) => part.toString(16)).join(':')}::/64`;
}
