import { ConfigError } from '#config';
import { createLogger, runUntilSignal } from '#service-runtime';
import { createAdminApp } from './admin.app.js';
import { loadAdminConfig } from './config/admin.config.js';

// The admin app on its own, as production runs it (migrations applied beforehand by
// `npm run db:migrate`). `npm start` runs both apps and the embedded database instead.
try {
  const config = loadAdminConfig();
  const logger = createLogger({ name: 'admin', level: config.LOG_LEVEL });
  const app = await createAdminApp(config, logger);
  await app.listen({ port: config.ADMIN_PORT, host: config.HOST });
  logger.info(`admin listening on ${await app.getUrl()}`);
  runUntilSignal(logger, [() => app.close()]);
} catch (error) {
  process.stderr.write(`admin failed to start: ${error instanceof ConfigError ? error.message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
}
