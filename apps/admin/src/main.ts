import { resolveLogFormat, serveStandalone } from '#service-runtime';
import { createAdminApp } from './admin.app.js';
import { loadAdminConfig } from './config/admin.config.js';

// The admin app on its own, as production runs it (migrations applied beforehand by
// `npm run db:migrate`). `npm start` runs both apps and the embedded database instead.
await serveStandalone({
  name: 'admin',
  loadConfig: () => loadAdminConfig(),
  logging: (config) => ({ level: config.LOG_LEVEL, format: resolveLogFormat(config.LOG_FORMAT, config.NODE_ENV) }),
  databaseUrl: (config) => config.DATABASE_URL,
  listenOn: (config) => ({ port: config.ADMIN_PORT, host: config.HOST, portVariable: 'ADMIN_PORT' }),
  create: createAdminApp,
});
