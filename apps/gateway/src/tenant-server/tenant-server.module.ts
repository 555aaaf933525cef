import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { CorsDecision, CorsTarget, DynamicCorsOptions } from '#dynamic-cors';
import type { GatewayConfig } from '../config/gateway.config.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../config/gateway-config.token.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { decisionLogger } from '../policies/decision-logger.js';
import { GatewayPolicySource } from '../policies/gateway-policy.source.js';
import { PoliciesModule } from '../policies/policies.module.js';
import { ProxyModule } from '../proxy/proxy.module.js';
import { UpstreamProxy } from '../proxy/upstream-proxy.js';
import type { TenantAddress } from '../tenancy/tenant-address.js';
import { TrafficRecorder } from '../traffic/traffic-recorder.js';
import { TrafficModule } from '../traffic/traffic.module.js';
import { createTenantServer } from './tenant-server.js';

/** Injection token of the tenant server's Fastify instance. */
export const TENANT_SERVER = Symbol('TENANT_SERVER');

type DecisionListener = (request: FastifyRequest, target: CorsTarget, decision: CorsDecision) => void;

/**
 * Tenant traffic (see {@link createTenantServer}): made with the gateway's policy source, its
 * decision log, metrics and traffic recorder; ready (its policy source started) when the app
 * boots, closed first when it shuts down, so that tenant requests from then on get 503.
 */
@Module({
  imports: [PoliciesModule, MetricsModule, TrafficModule, ProxyModule],
  providers: [
    {
      provide: TENANT_SERVER,
      inject: [GATEWAY_CONFIG, GATEWAY_LOGGER, GatewayPolicySource, GatewayMetrics, TrafficRecorder, UpstreamProxy],
      useFactory: (config: GatewayConfig, logger: Logger, source: GatewayPolicySource, metrics: GatewayMetrics, recorder: TrafficRecorder | null, proxy: UpstreamProxy) => {
        const log = decisionLogger(logger, metrics);
        // On Fastify, the request the hook is told of is Fastify's.
        const onDecision: DecisionListener =
          recorder === null
            ? log
            : (request, target, decision) => {
                log(request, target, decision);
                recorder.record(request, target, decision);
              };
        return createTenantServer({
          logger,
          bodyLimit: config.GATEWAY_BODY_LIMIT_BYTES,
          trustProxy: config.TRUST_PROXY,
          proxy,
          cors: { source, tenant: source, onDecision: onDecision as DynamicCorsOptions<TenantAddress>['onDecision'], logger },
        });
      },
    },
  ],
  exports: [TENANT_SERVER],
})
export class TenantServerModule implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(TENANT_SERVER) private readonly tenants: FastifyInstance,
  ) {}

  /**
   * A request that reaches the Nest app's Fastify but none of its routes is tenant traffic:
   * handed to the tenant server before its body is read. The HTTP server sends tenant traffic
   * straight there; this is the way `inject()` takes, and a safety net.
   */
  onModuleInit(): void {
    const nest = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const handOver = (request: FastifyRequest, reply: FastifyReply, _done: () => void) => {
      reply.hijack();
      this.tenants.routing(request.raw, reply.raw);
    };
    // The handler never runs: the hook hands every request over and does not call `done`.
    nest.all('/*', { onRequest: handOver }, () => undefined);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.tenants.ready();
  }

  async onModuleDestroy(): Promise<void> {
    await this.tenants.close();
  }
}
