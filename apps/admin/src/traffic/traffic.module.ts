import { Module } from '@nestjs/common';
import { tenantPolicyReaderProvider } from '#database';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { PreviewService } from './preview.service.js';
import { RefusalsController } from './refusals.controller.js';
import { RefusalsRepository } from './refusals.repository.js';
import { RefusalsService } from './refusals.service.js';
import { TrafficController } from './traffic.controller.js';
import { TrafficRepository } from './traffic.repository.js';
import { TrafficRetention } from './traffic-retention.js';

/** Traffic insight on the admin: the refusals inbox, the traffic chart, the policy preview, retention. */
@Module({
  imports: [AuthModule, AuditLogModule, TenantsModule],
  controllers: [RefusalsController, TrafficController],
  providers: [tenantPolicyReaderProvider, RefusalsRepository, RefusalsService, TrafficRepository, PreviewService, TrafficRetention],
})
export class TrafficModule {}
