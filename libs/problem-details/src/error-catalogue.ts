import type { ErrorCode } from './domain-error.js';

/** The HTTP status of each error code. Exhaustive: a new code without a status fails to compile. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'validation_failed':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'version_mismatch':
      return 412;
    case 'payload_too_large':
      return 413;
    case 'too_many_requests':
      return 429;
    case 'upstream_unreachable':
      return 502;
    case 'database_unavailable':
      return 503;
    case 'upstream_timeout':
      return 504;
  }
}
