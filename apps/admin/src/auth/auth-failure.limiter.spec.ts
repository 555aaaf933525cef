import {
  AUTH_FAILURE_MAX_ENTRIES,
  AUTH_FAILURE_WINDOW_MS,
  AuthFailureLimiter,
  clientOf,
  MAX_AUTH_FAILURES,
} from './auth-failure.limiter.js';

describe(AuthFailureLimiter.name, () => {
  const start = 1_000_000;
  const fail = (limiter: AuthFailureLimiter, times: number, address: string, keyId: string | null, now = start) => {
    let wait = 0;
    for (let i = 0; i < times; i++) wait = limiter.recordFailure(address, keyId, now);
    return wait;
  };

  describe('recordFailure', () => {
    it('answers past the limit with the rest of the window, for that address only', () => {
      const limiter = new AuthFailureLimiter();

      expect(fail(limiter, MAX_AUTH_FAILURES, '192.0.2.1', null)).toBe(0);
      expect(limiter.recordFailure('192.0.2.1', null, start + 1000)).toBe(AUTH_FAILURE_WINDOW_MS / 1000 - 1);
      expect(limiter.recordFailure('192.0.2.2', null, start + 1000)).toBe(0);
    });

    it('starts a new window after the old one ends', () => {
      const limiter = new AuthFailureLimiter();
      fail(limiter, MAX_AUTH_FAILURES + 5, '192.0.2.1', null);

      expect(limiter.recordFailure('192.0.2.1', null, start + AUTH_FAILURE_WINDOW_MS)).toBe(0);
    });

    it('counts failures against one key id from any address', () => {
      const limiter = new AuthFailureLimiter();
      for (let i = 0; i < MAX_AUTH_FAILURES; i++) limiter.recordFailure(`198.51.100.${i}`, 'k1', start);

      expect(limiter.recordFailure('203.0.113.1', 'k1', start)).toBeGreaterThan(0);
      expect(limiter.recordFailure('203.0.113.2', 'k2', start)).toBe(0);
    });

    it('counts an IPv6 /64 as one client, and IPv4-mapped addresses as IPv4', () => {
      const limiter = new AuthFailureLimiter();
      for (let i = 0; i < MAX_AUTH_FAILURES; i++) limiter.recordFailure(`2001:db8:0:1::${i.toString(16)}`, null, start);

      expect(limiter.recordFailure('2001:db8:0:1:ffff::1', null, start)).toBeGreaterThan(0);
      expect(limiter.recordFailure('2001:db8:0:2::1', null, start)).toBe(0);
      expect(clientOf('::ffff:192.0.2.7')).toBe('192.0.2.7');
      expect(clientOf('2001:DB8::1')).toBe(clientOf('2001:db8:0:0:ffff::2'));
    });

    it('keeps a bounded number of entries whatever an attacker rotates', () => {
      const limiter = new AuthFailureLimiter();
      for (let i = 0; i < AUTH_FAILURE_MAX_ENTRIES * 2; i++) {
        limiter.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, `key${i}`, start);
      }

      expect(limiter.size).toEqual({ addresses: AUTH_FAILURE_MAX_ENTRIES, keyIds: AUTH_FAILURE_MAX_ENTRIES });
    });
  });
});
