import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { VersionLogModule } from '../versions/version-log.module.js';
import { PoliciesController } from './policies.controller.js';
import { PoliciesRepository } from './policies.repository.js';
import { PoliciesService } from './policies.service.js';

/** The policy fields of each tenant; exports the policy lock that origin writes take too. */
@Module({
  imports: [AuthModule, AuditLogModule, TenantsModule, VersionLogModule],
  controllers: [PoliciesController],
  providers: [PoliciesRepository, PoliciesService],
  exports: [PoliciesRepository],
})
export class PoliciesModule {}
