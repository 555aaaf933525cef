import { type DynamicModule, Module } from '@nestjs/common';
import { DynamicCorsModule, tenantByPath } from '@corsmesh/dynamic-cors';
import { postgresPolicySource } from '@corsmesh/dynamic-cors/postgres';
import { HealthController, POLICY_SOURCE } from './health.controller.js';
import { TicketsController } from './tickets.controller.js';

@Module({})
export class AppModule {
  static forRoot({ databaseUrl }: { databaseUrl: string }): DynamicModule {
    // The part to copy into your own app (the Express example has the same lines): each
    // tenant's CORS policy read from the corsmesh database, for the tenant named by the path.
    const source = postgresPolicySource({ databaseUrl });
    return {
      module: AppModule,
      imports: [DynamicCorsModule.forRoot({ source, tenant: tenantByPath('/t/') })],
      controllers: [TicketsController, HealthController],
      providers: [{ provide: POLICY_SOURCE, useValue: source }],
    };
  }
}
