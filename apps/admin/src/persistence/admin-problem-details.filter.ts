import { type ArgumentsHost, Catch } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, ProblemDetailsFilter } from '#problem-details';
import { isDatabaseUnavailable, isUnstorableText } from './prisma-errors.js';

/** Seconds a client is told to wait before retrying while the database is unavailable. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The problem+json filter of the admin app: text PostgreSQL cannot store (U+0000) that got past
 * validation is a 400, not a 500; and a database that is down or restarting is a 503
 * `database_unavailable` the client can retry (with `Retry-After`), not an internal error. The
 * write it interrupted ran in one transaction, so nothing of it was kept. The connection error
 * stays the cause, so the log still says what happened.
 */
@Catch()
export class AdminProblemDetailsFilter extends ProblemDetailsFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (isUnstorableText(exception)) {
      super.catch(new DomainError('validation_failed', 'text must not contain the NUL character (U+0000)'), host);
      return;
    }
    if (!isDatabaseUnavailable(exception)) {
      super.catch(exception, host);
      return;
    }
    const unavailable = new DomainError(
      'database_unavailable',
      'the database is unavailable right now, so nothing was changed; try again shortly',
    );
    unavailable.cause = exception;
    void host.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(RETRY_AFTER_SECONDS));
    super.catch(unavailable, host);
  }
}
