import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { VersionLogModule } from '../versions/version-log.module.js';
import { TenantHostsValidator } from './tenant-hosts.validator.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsRepository } from './tenants.repository.js';
import { TenantsService } from './tenants.service.js';

/** Tenants: CRUD, and the slug → tenant lookup every tenant route starts with. */
@Module({
  imports: [AuthModule, AuditLogModule, VersionLogModule],
  controllers: [TenantsController],
  providers: [TenantsRepository, TenantsService, TenantHostsValidator],
  exports: [TenantsRepository, TenantHostsValidator],
})
export class TenantsModule {}
