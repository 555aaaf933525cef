export { createLogger, type LoggerOptions } from './logger.js';
export { PinoLoggerService } from './pino-logger.service.js';
export { HealthModule } from './health/health.module.js';
export { createNestFastifyApp, type CreateAppOptions } from './create-app.js';
export { runUntilSignal } from './run-until-signal.js';
