import { AUTH_FAILURE_WINDOW_MS, AuthFailureLimiter, MAX_AUTH_FAILURES } from './auth-failure.limiter.js';

describe(AuthFailureLimiter.name, () => {
  const start = 1_000_000;

  describe('retryAfterSeconds', () => {
    it('blocks a client at the limit until its window ends, and only that client', () => {
      const limiter = new AuthFailureLimiter();
      for (let i = 0; i < MAX_AUTH_FAILURES - 1; i++) limiter.recordFailure('a', start);
      expect(limiter.retryAfterSeconds('a', start)).toBe(0);

      limiter.recordFailure('a', start);

      expect(limiter.retryAfterSeconds('a', start + 1000)).toBe(AUTH_FAILURE_WINDOW_MS / 1000 - 1);
      expect(limiter.retryAfterSeconds('b', start)).toBe(0);
      expect(limiter.retryAfterSeconds('a', start + AUTH_FAILURE_WINDOW_MS)).toBe(0);
    });

    it('starts a new window after the old one ends', () => {
      const limiter = new AuthFailureLimiter();
      for (let i = 0; i < MAX_AUTH_FAILURES - 1; i++) limiter.recordFailure('a', start);

      limiter.recordFailure('a', start + AUTH_FAILURE_WINDOW_MS);

      expect(limiter.retryAfterSeconds('a', start + AUTH_FAILURE_WINDOW_MS)).toBe(0);
    });
  });
});
