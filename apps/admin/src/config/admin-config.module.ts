import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AdminConfig } from './admin.config.js';
import { ADMIN_CONFIG } from './admin-config.token.js';

/** Provides the validated {@link AdminConfig} under {@link ADMIN_CONFIG} to every feature module. */
@Global()
@Module({})
export class AdminConfigModule {
  static forRoot(config: AdminConfig): DynamicModule {
    return {
      module: AdminConfigModule,
      providers: [{ provide: ADMIN_CONFIG, useValue: config }],
      exports: [ADMIN_CONFIG],
    };
  }
}
