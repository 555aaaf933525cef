import { z } from 'zod';
import { envSchemas, loadConfig } from '#config';

const launcherEnv = z.object({
  DATABASE_URL: envSchemas.postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: envSchemas.port(54320),
  ADMIN_TOKEN: envSchemas.adminToken.optional(),
  LOG_LEVEL: envSchemas.logLevel,
  LOG_FORMAT: envSchemas.logFormat,
  NODE_ENV: envSchemas.nodeEnv,
});

/** What `npm start` decides before the apps (which validate the rest themselves) start. */
export type LauncherConfig = z.infer<typeof launcherEnv>;

export function loadLauncherConfig(env: Record<string, string | undefined> = process.env): LauncherConfig {
  return loadConfig(launcherEnv, env);
}
