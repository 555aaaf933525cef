import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { createNestFastifyApp } from '#service-runtime';
import type { GatewayConfig } from './config/gateway.config.js';
import { GatewayModule } from './gateway.module.js';

/** Tenant requests are forwarded or echoed; their bodies may be larger than admin writes. */
const GATEWAY_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** The gateway, ready to `listen()` or to be driven with `inject()` in tests. */
export function createGatewayApp(config: GatewayConfig, logger: Logger): Promise<NestFastifyApplication> {
  return createNestFastifyApp(GatewayModule.forRoot(config, logger), {
    logger,
    bodyLimit: GATEWAY_BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
  });
}
