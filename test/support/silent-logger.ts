import { createLogger } from '#service-runtime';

/** The apps' real logger, quiet unless TEST_LOG_LEVEL asks for more. */
export function testLogger() {
  return createLogger({ name: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}
