import pino, { type Logger } from 'pino';

export interface LoggerOptions {
  readonly name: string;
  readonly level: string;
}

/**
 * The one structured (JSON) logger of an app, shared by Fastify's request logging and Nest's
 * own messages. Credentials never reach the log.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino({
    name: options.name,
    level: options.level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
  });
}
