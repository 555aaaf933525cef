import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Nest's start-up narration ("dependencies initialized", "Mapped {/x, GET} route", "Nest
 * application successfully started"): useful when debugging, noise on a user's first screen.
 */
const START_UP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/**
 * What Nest logs itself when `listen()` fails ("Error: listen EADDRINUSE: …") before rejecting:
 * the caller reports that failure as one line naming the fix (see listenOrExplain).
 */
const LISTEN_FAILURE = /^Error: listen E[A-Z]+/;

/**
 * Nest's logger interface over pino. Written here rather than taken from nestjs-pino: that
 * package is CommonJS and `require()`s the ESM-only NestJS 12, which Jest on Node 20 cannot
 * load, so no app importing it could be tested end to end.
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    if (context !== undefined && START_UP_CONTEXTS.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    if ((context ?? stackOrContext) === 'NestApplication' && typeof message === 'string' && LISTEN_FAILURE.test(message)) {
      this.logger.debug({ context: 'NestApplication' }, message);
    } else if (message instanceof Error) this.logger.error({ context: stackOrContext, err: message }, message.message);
    else this.logger.error({ context: context ?? stackOrContext, stack: context ? stackOrContext : undefined }, String(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
