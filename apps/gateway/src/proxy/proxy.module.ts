import { Module } from '@nestjs/common';
import { networkInterfaces } from 'node:os';
import { compileTrustedHop, compileUpstreamHostGuard } from '#service-runtime';
import type { GatewayConfig } from '../config/gateway.config.js';
import type { Logger } from 'pino';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../config/gateway-config.token.js';
import { UpstreamProxy } from './upstream-proxy.js';

/** The upstream proxy of tenant traffic (the tenant server registers it). */
@Module({
  providers: [
    {
      provide: UpstreamProxy,
      inject: [GATEWAY_CONFIG, GATEWAY_LOGGER],
      useFactory: (config: GatewayConfig, logger: Logger) =>
        new UpstreamProxy({
          logger,
          timeoutMs: config.UPSTREAM_TIMEOUT_SECONDS * 1000,
          trustedHop: compileTrustedHop(config.TRUST_PROXY),
          hostGuard: compileUpstreamHostGuard(config.UPSTREAM_ALLOWED_HOSTS, ownAddresses()),
          maxConnectionsPerUpstream: config.UPSTREAM_MAX_CONNECTIONS,
          bodyLimitBytes: config.GATEWAY_BODY_LIMIT_BYTES,
          requestTimeoutMs: config.REQUEST_TIMEOUT_SECONDS * 1000,
          bodyMinBytesPerSecond: config.BODY_MIN_BYTES_PER_SECOND,
        }),
    },
  ],
  exports: [UpstreamProxy],
})
export class ProxyModule {}

/** This machine's addresses: an upstream on one of them would be the gateway itself, or its neighbour. */
function ownAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
}
