import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DatabaseModule, databaseOptionsOf } from '#database';
import { HealthModule } from '#service-runtime';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { AuditModule } from './audit/audit.module.js';
import { CheckModule } from './check/check.module.js';
import { ConfigAsCodeModule } from './config-as-code/config-as-code.module.js';
import type { AdminConfig } from './config/admin.config.js';
import { AdminConfigModule } from './config/admin-config.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DocsModule } from './docs/docs.module.js';
import { OriginsModule } from './origins/origins.module.js';
import { AdminProblemDetailsFilter } from './persistence/admin-problem-details.filter.js';
import { PoliciesModule } from './policies/policies.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { TrafficModule } from './traffic/traffic.module.js';
import { VersionsModule } from './versions/versions.module.js';

/** The admin REST API and dashboard. */
@Module({})
export class AdminModule {
  static forRoot(config: AdminConfig): DynamicModule {
    return {
      module: AdminModule,
      imports: [
        AdminConfigModule.forRoot(config),
        DatabaseModule.forRoot(databaseOptionsOf(config)),
        HealthModule.forRoot(),
        TenantsModule,
        PoliciesModule,
        OriginsModule,
        ApiKeysModule,
        AuditModule,
        CheckModule,
        ConfigAsCodeModule,
        TrafficModule,
        VersionsModule,
        DocsModule,
        DashboardModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: AdminProblemDetailsFilter }],
    };
  }
}
