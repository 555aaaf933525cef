import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { OriginsModule } from '../origins/origins.module.js';
import { PoliciesModule } from '../policies/policies.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { VersionLogModule } from './version-log.module.js';
import { VersionRestorer } from './version-restorer.js';
import { VersionsController } from './versions.controller.js';
import { VersionsService } from './versions.service.js';

/** The history routes: list, read, diff and restore a tenant's configuration versions. */
@Module({
  imports: [AuthModule, AuditLogModule, TenantsModule, PoliciesModule, OriginsModule, VersionLogModule],
  controllers: [VersionsController],
  providers: [VersionsService, VersionRestorer],
})
export class VersionsModule {}
