import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import { DatabaseModule, databaseOptionsOf } from '#database';
import { type CorsDecision, type CorsTarget, DynamicCorsModule, type DynamicCorsOptions } from '#dynamic-cors';
import type { FastifyRequest } from 'fastify';
import { ProblemDetailsFilter } from '#problem-details';
import { HealthModule } from '#service-runtime';
import type { GatewayConfig } from './config/gateway.config.js';
import { GatewayConfigModule } from './config/gateway-config.module.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { GatewayPolicySource } from './policies/gateway-policy.source.js';
import { PoliciesModule } from './policies/policies.module.js';
import { ProxyModule } from './proxy/proxy.module.js';
import { decisionLogger } from './policies/decision-logger.js';
import { TrafficModule } from './traffic/traffic.module.js';
import { TrafficRecorder } from './traffic/traffic-recorder.js';
import type { TenantAddress } from './tenancy/tenant-address.js';

type DecisionListener = (request: FastifyRequest, target: CorsTarget, decision: CorsDecision) => void;

/** The tenant-facing gateway: resolves the tenant, applies its CORS policy, serves or proxies. */
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
        DynamicCorsModule.forRootAsync({
          imports: [PoliciesModule, MetricsModule, TrafficModule],
          inject: [GatewayPolicySource, GatewayMetrics, TrafficRecorder],
          useFactory: (source: GatewayPolicySource, metrics: GatewayMetrics, recorder: TrafficRecorder | null) => {
            const log = decisionLogger(logger, metrics);
            // On Fastify, the request the hook is told of is Fastify's.
            const onDecision: DecisionListener =
              recorder === null
                ? log
                : (request, target, decision) => {
                    log(request, target, decision);
                    recorder.record(request, target, decision);
                  };
            return { source, tenant: source, onDecision: onDecision as DynamicCorsOptions<TenantAddress>['onDecision'] };
          },
        }),
        TrafficModule,
        ProxyModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
