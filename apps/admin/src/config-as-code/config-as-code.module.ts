import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { OriginsModule } from '../origins/origins.module.js';
import { PoliciesModule } from '../policies/policies.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { ConfigAsCodeController } from './config-as-code.controller.js';
import { ConfigExportService } from './config-export.service.js';
import { ConfigImportService } from './config-import.service.js';
import { ConfigStateRepository } from './config-state.repository.js';
import { TenantChangeApplier } from './tenant-change.applier.js';
import { VersionLogModule } from '../versions/version-log.module.js';

/** Configuration as code: export and import of whole configurations in several formats. */
@Module({
  imports: [AuthModule, AuditLogModule, TenantsModule, PoliciesModule, OriginsModule, VersionLogModule],
  controllers: [ConfigAsCodeController],
  providers: [ConfigStateRepository, ConfigExportService, ConfigImportService, TenantChangeApplier],
})
export class ConfigAsCodeModule {}
