import { ConfigError } from '#config';
import { createLogger, runUntilSignal } from '#service-runtime';
import { startAll, type RunningStack } from './start-all.js';

// `npm start`: everything on one machine, with an embedded PostgreSQL unless DATABASE_URL is set.
const logger = createLogger({ name: 'corsmesh', level: process.env.LOG_LEVEL || 'info' });
try {
  const stack = await startAll(process.env, logger);
  process.stdout.write(banner(stack));
  runUntilSignal(logger, [() => stack.stop()]);
} catch (error) {
  process.stderr.write(`corsmesh failed to start: ${error instanceof ConfigError ? error.message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
}

function banner(stack: RunningStack): string {
  const token = stack.adminToken.generated
    ? `  Admin token:  ${stack.adminToken.token}\n                (generated now and shown only this once; kept in ${stack.adminToken.file})\n`
    : stack.adminToken.file
      ? `  Admin token:  in ${stack.adminToken.file}\n`
      : '  Admin token:  from ADMIN_TOKEN\n';
  const database = stack.embeddedDatabase ? 'embedded PostgreSQL (data kept in DATA_DIR)' : 'DATABASE_URL';
  return [
    '',
    'corsmesh is running',
    `  Gateway:      ${stack.gatewayUrl}   (tenants at ${stack.gatewayUrl}/t/<slug>/...)`,
    `  Admin API:    ${stack.adminUrl}/api/v1   (OpenAPI at ${stack.adminUrl}/docs)`,
    `  Dashboard:    ${stack.adminUrl}/`,
    `  Database:     ${database}`,
    token + '  Press Ctrl-C to stop.',
    '',
  ].join('\n') + '\n';
}
