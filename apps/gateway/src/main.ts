import { ConfigError } from '#config';
import { createLogger, runUntilSignal } from '#service-runtime';
import { loadGatewayConfig } from './config/gateway.config.js';
import { createGatewayApp } from './gateway.app.js';

// The gateway on its own, as production runs it (migrations applied beforehand by
// `npm run db:migrate`). `npm start` runs both apps and the embedded database instead.
try {
  const config = loadGatewayConfig();
  const logger = createLogger({ name: 'gateway', level: config.LOG_LEVEL });
  const app = await createGatewayApp(config, logger);
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.info(`gateway listening on ${await app.getUrl()}`);
  runUntilSignal(logger, [() => app.close()]);
} catch (error) {
  process.stderr.write(`gateway failed to start: ${error instanceof ConfigError ? error.message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
}
