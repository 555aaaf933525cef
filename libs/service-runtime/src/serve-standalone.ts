import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { ConfigError } from '#config';
import { createLogger } from './logger.js';
import { runUntilSignal } from './run-until-signal.js';

export interface StandaloneApp<Config> {
  readonly name: string;
  /** Reads and validates the environment; throws ConfigError naming bad variables. */
  readonly loadConfig: () => Config;
  readonly logLevel: (config: Config) => string;
  readonly listenOn: (config: Config) => { port: number; host: string };
  readonly create: (config: Config, logger: Logger) => Promise<NestFastifyApplication>;
}

/**
 * Runs one app on its own, as production does: configuration checked first (a bad variable
 * stops it with a message naming it), then listening until SIGINT or SIGTERM.
 */
export async function serveStandalone<Config>(app: StandaloneApp<Config>): Promise<void> {
  try {
    const config = app.loadConfig();
    const logger = createLogger({ name: app.name, level: app.logLevel(config) });
    const nest = await app.create(config, logger);
    await nest.listen(app.listenOn(config));
    logger.info(`${app.name} listening on ${await nest.getUrl()}`);
    runUntilSignal(logger, [() => nest.close()]);
  } catch (error) {
    const reason = error instanceof ConfigError ? error.message : String((error as Error).stack ?? error);
    process.stderr.write(`${app.name} failed to start: ${reason}\n`);
    process.exit(1);
  }
}
