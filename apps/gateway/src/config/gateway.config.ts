import { z } from 'zod';
import { envSchemas, loadConfig } from '#config';

const gatewayEnv = z.object({
  DATABASE_URL: envSchemas.postgresUrl,
  PORT: envSchemas.port(3000),
  HOST: envSchemas.host,
  BASE_DOMAIN: envSchemas.hostname.optional(),
  LOG_LEVEL: envSchemas.logLevel,
  LOG_FORMAT: envSchemas.logFormat,
  NODE_ENV: envSchemas.nodeEnv,
  DATABASE_POOL_SIZE: envSchemas.positiveInt(10, 1000),
  DATABASE_POOL_TIMEOUT_MS: envSchemas.positiveInt(2000, 600_000),
  DATABASE_QUERY_TIMEOUT_MS: envSchemas.positiveInt(2000, 600_000),
  DATABASE_IDLE_TIMEOUT_MS: envSchemas.positiveInt(10_000, 3_600_000),
  DATABASE_KEEPALIVE_MS: envSchemas.positiveInt(10_000, 3_600_000),
  LISTENER_HEARTBEAT_INTERVAL_MS: envSchemas.positiveInt(5000, 600_000),
  LISTENER_HEARTBEAT_TIMEOUT_MS: envSchemas.positiveInt(3000, 600_000),
  TRUST_PROXY: envSchemas.trustProxy,
  POLICY_CACHE_MAX_TENANTS: envSchemas.positiveInt(10_000, 10_000_000),
  POLICY_CACHE_WARM_TENANTS: envSchemas.nonNegativeInt(10_000, 10_000_000),
  POLICY_CACHE_TTL_SECONDS: envSchemas.positiveInt(300, 86_400),
  UNKNOWN_TENANT_CACHE_TTL_SECONDS: envSchemas.positiveInt(5, 3600),
  UPSTREAM_TIMEOUT_SECONDS: envSchemas.positiveInt(30, 3600),
  UPSTREAM_ALLOWED_HOSTS: envSchemas.upstreamAllowedHosts,
  UPSTREAM_MAX_CONNECTIONS: envSchemas.positiveInt(128, 100_000),
  REQUEST_TIMEOUT_SECONDS: envSchemas.positiveInt(60, 3600),
  HEADERS_TIMEOUT_SECONDS: envSchemas.positiveInt(10, 3600),
  BODY_MIN_BYTES_PER_SECOND: envSchemas.nonNegativeInt(240, 1024 * 1024 * 1024),
  MAX_CONNECTIONS_PER_CLIENT: envSchemas.positiveInt(64, 100_000),
  TRAFFIC_RECORDING: envSchemas.boolean(true),
  // SPEC "Traffic insight": written at least every 5 s.
  TRAFFIC_FLUSH_INTERVAL_MS: envSchemas.positiveInt(5000, 5000),
  TRAFFIC_MAX_ENTRIES_PER_TENANT: envSchemas.positiveInt(1000, 100_000),
  TRAFFIC_MAX_ENTRIES: envSchemas.positiveInt(50_000, 10_000_000),
  GATEWAY_BODY_LIMIT_BYTES: envSchemas.positiveInt(10 * 1024 * 1024, 1024 * 1024 * 1024),
});

/** The gateway's configuration, validated once at start-up. */
export type GatewayConfig = z.infer<typeof gatewayEnv>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return loadConfig(gatewayEnv, env);
}
