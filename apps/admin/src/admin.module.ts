import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DatabaseModule } from '#database';
import { ProblemDetailsFilter } from '#problem-details';
import { HealthModule } from '#service-runtime';
import type { AdminConfig } from './config/admin.config.js';
import { ADMIN_CONFIG } from './config/admin-config.token.js';

/** The admin REST API and dashboard. */
@Module({})
export class AdminModule {
  static forRoot(config: AdminConfig): DynamicModule {
    return {
      module: AdminModule,
      imports: [
        DatabaseModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, connectTimeoutMs: 5000 }),
        HealthModule.forRoot(),
      ],
      providers: [
        { provide: ADMIN_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
