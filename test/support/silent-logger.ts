import pino, { type Logger } from 'pino';
import { createLogger } from '#service-runtime';

/** The apps' real logger, quiet unless TEST_LOG_LEVEL asks for more. */
export function testLogger() {
  return createLogger({ name: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** A pino logger at `level` whose lines are kept, parsed, in `lines`. */
export function capturingLogger(level: string): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}
