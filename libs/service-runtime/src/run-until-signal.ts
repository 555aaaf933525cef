import type { Logger } from 'pino';

/** Something to shut down, in order; each step gets this long before the process gives up. */
const STEP_TIMEOUT_MS = 10_000;

/**
 * On SIGINT or SIGTERM, runs the shutdown steps one after the other (stop accepting requests
 * first, stop the database last), then exits. A second signal exits at once.
 */
export function runUntilSignal(logger: Logger, steps: readonly (() => Promise<unknown>)[]): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      logger.warn(`${signal} again: exiting without finishing the shutdown`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal} received: shutting down`);
    let failed = false;
    for (const step of steps) {
      try {
        await Promise.race([
          step(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), STEP_TIMEOUT_MS).unref()),
        ]);
      } catch (error) {
        failed = true;
        logger.error({ err: error }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
    logger.flush();
    process.exit(failed ? 1 : 0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}
