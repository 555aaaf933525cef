import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { PrismaService } from '#database';
import { TenantPolicyReader } from '#policy-store';
import type { GatewayConfig } from '../config/gateway.config.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../config/gateway-config.token.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { GatewayPolicySource } from './gateway-policy.source.js';
import { policyBatchLoader } from './policy-batch-loader.js';
import { PolicyCache } from './policy-cache.js';
import { PolicyChangeListener } from './policy-change.listener.js';

/** Tenant policies for the gateway: PostgreSQL reads, the cache, and change notices. */
@Module({
  imports: [MetricsModule],
  providers: [
    { provide: TenantPolicyReader, useFactory: (prisma: PrismaService) => new TenantPolicyReader(prisma), inject: [PrismaService] },
    {
      provide: PolicyCache,
      inject: [TenantPolicyReader, GATEWAY_CONFIG, GatewayMetrics],
      useFactory: (reader: TenantPolicyReader, config: GatewayConfig, metrics: GatewayMetrics) =>
        new PolicyCache({
          load: policyBatchLoader({ readMany: (lookups) => reader.readMany(lookups), onBatch: () => metrics.policyRead() }),
          maxTenants: config.POLICY_CACHE_MAX_TENANTS,
          ttlMs: config.POLICY_CACHE_TTL_SECONDS * 1000,
          negativeTtlMs: config.UNKNOWN_TENANT_CACHE_TTL_SECONDS * 1000,
          events: metrics.cacheEvents,
        }),
    },
    {
      provide: PolicyChangeListener,
      inject: [PolicyCache, GATEWAY_CONFIG, GATEWAY_LOGGER, GatewayMetrics],
      useFactory: (cache: PolicyCache, config: GatewayConfig, logger: Logger, metrics: GatewayMetrics) =>
        new PolicyChangeListener({
          databaseUrl: config.DATABASE_URL,
          logger,
          onChange: (event) => {
            metrics.invalidationReceived();
            cache.invalidate(event);
          },
          onResync: () => cache.revalidateAll(),
          heartbeatIntervalMs: config.LISTENER_HEARTBEAT_INTERVAL_MS,
          heartbeatTimeoutMs: config.LISTENER_HEARTBEAT_TIMEOUT_MS,
          connectTimeoutMs: config.DATABASE_POOL_TIMEOUT_MS,
          keepAliveDelayMs: config.DATABASE_KEEPALIVE_MS,
          events: metrics.listenerEvents,
        }),
    },
    {
      provide: GatewayPolicySource,
      inject: [PolicyCache, GATEWAY_CONFIG],
      useFactory: (cache: PolicyCache, config: GatewayConfig) => new GatewayPolicySource(cache, config.BASE_DOMAIN),
    },
  ],
  exports: [GatewayPolicySource, PolicyCache, PolicyChangeListener],
})
export class PoliciesModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(PolicyChangeListener) private readonly listener: PolicyChangeListener,
    @Inject(PolicyCache) private readonly cache: PolicyCache,
    @Inject(TenantPolicyReader) private readonly reader: TenantPolicyReader,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
    await this.warmCache();
  }

  /**
   * Before the gateway listens, the most recently updated tenants are read into the cache
   * (after the listener started, so a change meanwhile is not missed): a cold gateway in front
   * of many tenants would otherwise answer its first seconds from PostgreSQL, one miss at a
   * time (issue 13). A database that cannot be read now only means a cold start.
   */
  private async warmCache(): Promise<void> {
    const count = Math.min(this.config.POLICY_CACHE_WARM_TENANTS, this.config.POLICY_CACHE_MAX_TENANTS);
    if (count === 0) return;
    const started = performance.now();
    try {
      const stored = await this.cache.warm(this.reader.recent(count));
      this.logger.info({ tenants: stored, ms: Math.round(performance.now() - started) }, 'policy cache warmed');
    } catch (error) {
      this.logger.warn({ err: error }, 'policy cache not warmed: tenants are read as they are asked for');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.stop();
  }
}
