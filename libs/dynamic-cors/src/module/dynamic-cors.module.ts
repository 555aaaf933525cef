import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CorsEngine } from '../platforms/cors-engine.js';
import { type ExpressApplication, installExpressCors } from '../platforms/express.js';
import { registerFastifyCors } from '../platforms/fastify.js';
import { type AnyDynamicCorsOptions, ConfigurableModuleClass, DYNAMIC_CORS_OPTIONS } from './dynamic-cors.module-definition.js';

/**
 * Applies each tenant's CORS policy to every request of a NestJS app, on Express or Fastify
 * (told apart by the app's HTTP adapter), before routing: preflights are answered here,
 * refused requests stopped here (enforce mode), and the CORS headers of allowed requests set
 * here, so 404s and errors carry them too. The source is started before the app serves and
 * stopped when it shuts down.
 *
 * ```ts
 * DynamicCorsModule.forRoot({ source: postgresPolicySource({ databaseUrl }), tenant: tenantByPath() })
 * ```
 */
@Module({})
export class DynamicCorsModule extends ConfigurableModuleClass implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(DYNAMIC_CORS_OPTIONS) private readonly options: AnyDynamicCorsOptions,
  ) {
    super();
  }

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined) throw new Error('DynamicCorsModule needs an HTTP application (NestFactory.create), not an application context');
    const engine = new CorsEngine(this.options);
    const platform = adapter.getType();
    if (platform === 'fastify') registerFastifyCors(adapter.getInstance<FastifyInstance>(), engine);
    else if (platform === 'express') installExpressCors(adapter.getInstance<ExpressApplication>(), engine);
    else throw new Error(`DynamicCorsModule runs on @nestjs/platform-express or @nestjs/platform-fastify, not on ${platform}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.options.source.start?.();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.options.source.stop?.();
  }
}
