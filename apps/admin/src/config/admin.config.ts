import { z } from 'zod';
import { envSchemas, loadConfig } from '#config';

const adminEnv = z.object({
  DATABASE_URL: envSchemas.postgresUrl,
  ADMIN_PORT: envSchemas.port(3001),
  HOST: envSchemas.host,
  ADMIN_TOKEN: envSchemas.adminToken,
  LOG_LEVEL: envSchemas.logLevel,
  LOG_FORMAT: envSchemas.logFormat,
  NODE_ENV: envSchemas.nodeEnv,
  DATABASE_POOL_SIZE: envSchemas.positiveInt(5, 1000),
  DATABASE_POOL_TIMEOUT_MS: envSchemas.positiveInt(3000, 600_000),
  DATABASE_QUERY_TIMEOUT_MS: envSchemas.positiveInt(5000, 600_000),
  DATABASE_IDLE_TIMEOUT_MS: envSchemas.positiveInt(10_000, 3_600_000),
  DATABASE_KEEPALIVE_MS: envSchemas.positiveInt(10_000, 3_600_000),
  TRUST_PROXY: envSchemas.trustProxy,
  UPSTREAM_ALLOWED_HOSTS: envSchemas.upstreamAllowedHosts,
  ADMIN_BODY_LIMIT_BYTES: envSchemas.positiveInt(256 * 1024, 64 * 1024 * 1024),
  ADMIN_IMPORT_BODY_LIMIT_BYTES: envSchemas.positiveInt(10 * 1024 * 1024, 256 * 1024 * 1024),
  VERSIONS_KEPT_PER_TENANT: envSchemas.positiveInt(200, 100_000),
});

/** The admin app's configuration, validated once at start-up. */
export type AdminConfig = z.infer<typeof adminEnv>;

export function loadAdminConfig(env: Record<string, string | undefined> = process.env): AdminConfig {
  return loadConfig(adminEnv, env);
}
