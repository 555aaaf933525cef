import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { PrismaService } from '#database';
import { PolicyCache, PostgresPolicySource } from '#dynamic-cors/postgres';
import type { GatewayConfig } from '../config/gateway.config.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../config/gateway-config.token.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { GatewayPolicySource } from './gateway-policy.source.js';

/**
 * Tenant policies for the gateway: the library's PostgreSQL source (cache, batched misses,
 * change notices, warm-up) on the gateway's own pool, with its configuration and metrics. The
 * tenant server starts and stops it (when it is ready and when it closes).
 */
@Module({
  imports: [MetricsModule],
  providers: [
    {
      provide: PostgresPolicySource,
      inject: [PrismaService, GATEWAY_CONFIG, GATEWAY_LOGGER, GatewayMetrics],
      useFactory: (prisma: PrismaService, config: GatewayConfig, logger: Logger, metrics: GatewayMetrics) =>
        new PostgresPolicySource({
          databaseUrl: config.DATABASE_URL,
          pool: prisma.pool,
          maxTenants: config.POLICY_CACHE_MAX_TENANTS,
          warmTenants: config.POLICY_CACHE_WARM_TENANTS,
          ttlSeconds: config.POLICY_CACHE_TTL_SECONDS,
          unknownTtlSeconds: config.UNKNOWN_TENANT_CACHE_TTL_SECONDS,
          heartbeatIntervalMs: config.LISTENER_HEARTBEAT_INTERVAL_MS,
          heartbeatTimeoutMs: config.LISTENER_HEARTBEAT_TIMEOUT_MS,
          connectTimeoutMs: config.DATABASE_POOL_TIMEOUT_MS,
          keepAliveDelayMs: config.DATABASE_KEEPALIVE_MS,
          logger,
          events: {
            cache: metrics.cacheEvents,
            listener: metrics.listenerEvents,
            batchRead: () => metrics.policyRead(),
            changeReceived: () => metrics.invalidationReceived(),
          },
        }),
    },
    { provide: PolicyCache, inject: [PostgresPolicySource], useFactory: (source: PostgresPolicySource) => source.cache },
    {
      provide: GatewayPolicySource,
      inject: [PostgresPolicySource, GATEWAY_CONFIG],
      useFactory: (source: PostgresPolicySource, config: GatewayConfig) => new GatewayPolicySource(source, config.BASE_DOMAIN),
    },
  ],
  exports: [GatewayPolicySource, PolicyCache],
})
export class PoliciesModule {}
