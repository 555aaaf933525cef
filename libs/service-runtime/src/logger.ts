import pino, { type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

/** `pretty`: readable lines for a person at a terminal; `json`: one object per line, for machines. */
export type LogFormat = 'pretty' | 'json';

export interface LoggerOptions {
  readonly name: string;
  readonly level: string;
  /** JSON unless told otherwise (see {@link resolveLogFormat}). */
  readonly format?: LogFormat;
}

/**
 * LOG_FORMAT when set; otherwise readable lines on a terminal and JSON when the output is piped
 * or NODE_ENV is `production` (where a log collector reads it).
 */
export function resolveLogFormat(configured: LogFormat | undefined, nodeEnv: string | undefined): LogFormat {
  if (configured) return configured;
  return process.stdout.isTTY && nodeEnv !== 'production' ? 'pretty' : 'json';
}

/**
 * The one logger of an app, shared by Fastify's request logging and Nest's own messages.
 * Credentials never reach the log.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    name: options.name,
    level: options.level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
  };
  if (options.format !== 'pretty') return pino(settings);
  // In this thread and synchronous (not a worker transport), so the last lines before an
  // exit are never lost; the pretty format is for a terminal, not for a gateway under load.
  return pino(
    settings,
    pinoPretty({
      sync: true,
      colorize: Boolean(process.stdout.isTTY),
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,app',
      messageFormat: '{if app}{app}: {end}{msg}',
      singleLine: true,
    }),
  );
}
