import { resolveLogFormat, serveStandalone } from '#service-runtime';
import { loadGatewayConfig } from './config/gateway.config.js';
import { createGatewayApp } from './gateway.app.js';

// The gateway on its own, as production runs it (migrations applied beforehand by
// `npm run db:migrate`). `npm start` runs both apps and the embedded database instead.
await serveStandalone({
  name: 'gateway',
  loadConfig: () => loadGatewayConfig(),
  logging: (config) => ({ level: config.LOG_LEVEL, format: resolveLogFormat(config.LOG_FORMAT, config.NODE_ENV) }),
  databaseUrl: (config) => config.DATABASE_URL,
  listenOn: (config) => ({ port: config.PORT, host: config.HOST, portVariable: 'PORT' }),
  create: createGatewayApp,
});
