import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { assertDatabaseReady } from '#database';
import { createLogger, type LogFormat } from './logger.js';
import { runUntilSignal } from './run-until-signal.js';
import { exitOnStartupFailure, listenOrExplain } from './startup-failure.js';

export interface StandaloneApp<Config> {
  readonly name: string;
  /** Reads and validates the environment; throws ConfigError naming bad variables. */
  readonly loadConfig: () => Config;
  readonly logging: (config: Config) => { level: string; format: LogFormat };
  readonly databaseUrl: (config: Config) => string;
  /** Where to listen, and the variable that sets the port (named when the port is taken). */
  readonly listenOn: (config: Config) => { port: number; host: string; portVariable: string };
  readonly create: (config: Config, logger: Logger) => Promise<NestFastifyApplication>;
}

/**
 * Runs one app on its own, as production does: configuration checked first, then the
 * database (reachable, migrated), then listening until SIGINT or SIGTERM. Any start-up failure
 * is one line on stderr naming the cause and the fix, and exit code 1.
 */
export async function serveStandalone<Config>(app: StandaloneApp<Config>): Promise<void> {
  let logLevel: string | undefined;
  let nest: NestFastifyApplication | undefined;
  try {
    const config = app.loadConfig();
    const logging = app.logging(config);
    logLevel = logging.level;
    const logger = createLogger({ name: app.name, ...logging });
    await assertDatabaseReady(app.databaseUrl(config));
    nest = await app.create(config, logger);
    await listenOrExplain(nest, { name: app.name, ...app.listenOn(config) });
    const url = await nest.getUrl();
    // Signals are handled before anyone is told it runs, so a stop right away is orderly.
    runUntilSignal(logger, [() => nest!.close()]);
    logger.info(`${app.name} listening on ${url}`);
  } catch (error) {
    await nest?.close().catch(() => undefined);
    exitOnStartupFailure(app.name, error, logLevel);
  }
}
