import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DatabaseModule } from '#database';
import { ProblemDetailsFilter } from '#problem-details';
import { HealthModule } from '#service-runtime';
import type { GatewayConfig } from './config/gateway.config.js';
import { GATEWAY_CONFIG } from './config/gateway-config.token.js';

/** The tenant-facing gateway: resolves the tenant, applies its CORS policy, serves or proxies. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        DatabaseModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, connectTimeoutMs: 5000 }),
        HealthModule,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
