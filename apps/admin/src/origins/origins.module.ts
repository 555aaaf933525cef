import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { PoliciesModule } from '../policies/policies.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { VersionLogModule } from '../versions/version-log.module.js';
import { OriginsController } from './origins.controller.js';
import { OriginsRepository } from './origins.repository.js';
import { OriginsService } from './origins.service.js';

/** Each tenant's allowed origins; exports their repository for restoring a version. */
@Module({
  imports: [AuthModule, AuditLogModule, TenantsModule, PoliciesModule, VersionLogModule],
  controllers: [OriginsController],
  providers: [OriginsRepository, OriginsService],
  exports: [OriginsRepository],
})
export class OriginsModule {}
