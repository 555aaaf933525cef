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
          onResync: () => cache.flush(),
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
  constructor(@Inject(PolicyChangeListener) private readonly listener: PolicyChangeListener) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.stop();
  }
}
