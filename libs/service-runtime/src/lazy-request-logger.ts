import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString, LogFn } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogArgs = Parameters<LogFn>;

/**
 * `request.log` that makes its pino child (bound to the request id) on the first message it
 * actually writes. Fastify makes one child logger per request, and pino's `child()` serialises
 * its bindings at once: about 3% of a gateway request's CPU in the profile (issue 13), for a
 * logger that logs on few requests (request logging is off below debug level). Messages and
 * their bindings are exactly what the eager child would write.
 */
export class LazyRequestLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): LevelWithSilentOrString {
    return (this.#child ?? this.parent).level;
  }

  set level(level: LevelWithSilentOrString) {
    this.logger().level = level;
  }

  // Methods on the prototype, not arrow fields: one of these is made per request.
  fatal(...args: LogArgs): void {
    this.write('fatal', args);
  }
  error(...args: LogArgs): void {
    this.write('error', args);
  }
  warn(...args: LogArgs): void {
    this.write('warn', args);
  }
  info(...args: LogArgs): void {
    this.write('info', args);
  }
  debug(...args: LogArgs): void {
    this.write('debug', args);
  }
  trace(...args: LogArgs): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger().child(bindings, options);
  }

  private write(level: Level, args: LogArgs): void {
    const current = this.#child ?? this.parent;
    // pino's level methods are no-ops below its level: no child is made for them.
    if (!isLevelEnabled(current, level)) return;
    (this.logger()[level] as (...a: LogArgs) => void)(...args);
  }

  private logger(): FastifyBaseLogger {
    return (this.#child ??= this.parent.child(this.bindings, this.options));
  }
}

function isLevelEnabled(logger: FastifyBaseLogger, level: Level): boolean {
  const check = (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return check ? check.call(logger, level) : true;
}

/**
 * Fastify's `childLoggerFactory`: request loggers made on first use (see {@link LazyRequestLogger}).
 * Fastify checks that what it returns has every logger method.
 */
export function lazyChildLoggerFactory(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  // Its log methods take pino's arguments (LogFn's overloads, spelled as one rest tuple).
  return new LazyRequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
