import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { GatewayConfig } from './gateway.config.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from './gateway-config.token.js';

/** The validated configuration and the app's logger, for every module of the gateway. */
@Global()
@Module({})
export class GatewayConfigModule {
  static forRoot(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: GatewayConfigModule,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: GATEWAY_LOGGER, useValue: logger },
      ],
      exports: [GATEWAY_CONFIG, GATEWAY_LOGGER],
    };
  }
}
