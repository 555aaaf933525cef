import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import { DatabaseModule, databaseOptionsOf } from '#database';
import { ProblemDetailsFilter } from '#problem-details';
import { HealthModule } from '#service-runtime';
import type { GatewayConfig } from './config/gateway.config.js';
import { GatewayConfigModule } from './config/gateway-config.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { GatewayPolicySource } from './policies/gateway-policy.source.js';
import { PoliciesModule } from './policies/policies.module.js';
import { TenantServerModule } from './tenant-server/tenant-server.module.js';
import { TrafficModule } from './traffic/traffic.module.js';

/**
 * The tenant-facing gateway: resolves the tenant, applies its CORS policy, serves or proxies
 * (the tenant server); health and metrics are this Nest app's own routes.
 */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        GatewayConfigModule.forRoot(config, logger),
        DatabaseModule.forRoot(databaseOptionsOf(config)),
        HealthModule.forRoot({
          imports: [PoliciesModule],
          inject: [GatewayPolicySource],
          probes: (source: GatewayPolicySource) => [
            {
              name: 'policy-changes',
              isReady: () => source.isReady,
              notReadyMessage: 'not listening for policy changes: cached policies may be stale',
            },
          ],
        }),
        MetricsModule,
        PoliciesModule,
        TrafficModule,
        TenantServerModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
