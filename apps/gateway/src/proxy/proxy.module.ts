import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../config/gateway.config.js';
import { GATEWAY_CONFIG } from '../config/gateway-config.token.js';
import { registerTenantTraffic } from './tenant-traffic.js';
import { UpstreamProxy } from './upstream-proxy.js';

/** Tenant traffic: the upstream proxy and the built-in echo. */
@Module({
  providers: [
    {
      provide: UpstreamProxy,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => new UpstreamProxy({ timeoutMs: config.UPSTREAM_TIMEOUT_SECONDS * 1000 }),
    },
  ],
})
export class ProxyModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly proxy: UpstreamProxy,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    this.proxy.register(fastify);
    registerTenantTraffic(fastify, this.proxy);
  }
}
