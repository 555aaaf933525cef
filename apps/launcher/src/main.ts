import { createLogger, exitOnStartupFailure, resolveLogFormat, runUntilSignal } from '#service-runtime';
import { loadLauncherConfig } from './launcher.config.js';
import { startAll, type RunningStack } from './start-all.js';

// `npm start`: everything on one machine, with an embedded PostgreSQL unless DATABASE_URL is set.
let logLevel: string | undefined;
try {
  const config = loadLauncherConfig(process.env);
  logLevel = config.LOG_LEVEL;
  const logger = createLogger({ name: 'corsmesh', level: config.LOG_LEVEL, format: resolveLogFormat(config.LOG_FORMAT, config.NODE_ENV) });
  const stack = await startAll(process.env, config, logger);
  // Signals are handled before the banner says it runs, so a Ctrl-C right away is orderly.
  runUntilSignal(logger, [() => stack.stop()]);
  process.stdout.write(banner(stack));
} catch (error) {
  exitOnStartupFailure('corsmesh', error, logLevel);
}

function banner(stack: RunningStack): string {
  // The token itself is never printed: terminals are scrolled back, shared and recorded.
  const token = stack.adminToken.file
    ? `  Admin token:  in ${stack.adminToken.file}${stack.adminToken.generated ? ' (generated on this first start)' : ''}`
    : '  Admin token:  from ADMIN_TOKEN';
  return [
    '',
    'corsmesh is running',
    `  Gateway:      ${stack.gatewayUrl}   (tenants at ${stack.gatewayUrl}/t/<slug>/...)`,
    `  Admin API:    ${stack.adminUrl}/api/v1   (OpenAPI at ${stack.adminUrl}/docs)`,
    `  Dashboard:    ${stack.adminUrl}/`,
    `  Database:     ${stack.database}`,
    token,
    '  Press Ctrl-C to stop.',
    '',
    '',
  ].join('\n');
}
