export { createLogger, type LoggerOptions } from './logger.js';
export { PinoLoggerService } from './pino-logger.service.js';
export { HealthModule, type HealthModuleOptions } from './health/health.module.js';
export { READINESS_PROBES, type ReadinessProbe } from './health/readiness-probe.js';
export { createNestFastifyApp, type CreateAppOptions } from './create-app.js';
export { runUntilSignal } from './run-until-signal.js';
export { serveStandalone, type StandaloneApp } from './serve-standalone.js';
export { compileTrustedHop, type TrustedHop } from './trusted-proxy.js';
export { compileHostAllowList, compileUpstreamHostGuard, type UpstreamHostGuard } from './upstream-host-guard.js';
