import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ConfigurableModuleClass, DYNAMIC_CORS_OPTIONS } from './dynamic-cors.module-definition.js';
import type { DynamicCorsOptions } from './dynamic-cors.options.js';
import { registerCorsHook } from './fastify/cors-hook.js';

/**
 * Applies each tenant's CORS policy to every request of a NestJS-on-Fastify app, before
 * routing: preflights are answered here, refused requests stopped here (enforce mode), and
 * the CORS headers of allowed requests set here, so 404s and errors carry them too.
 *
 * ```ts
 * DynamicCorsModule.forRootAsync({ imports: [PoliciesModule], inject: [MyPolicySource],
 *   useFactory: (source) => ({ source }) })
 * ```
 */
@Module({})
export class DynamicCorsModule extends ConfigurableModuleClass implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(DYNAMIC_CORS_OPTIONS) private readonly options: DynamicCorsOptions,
  ) {
    super();
  }

  onModuleInit(): void {
    registerCorsHook(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), this.options);
  }
}
