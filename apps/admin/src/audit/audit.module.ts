import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AuditLogModule } from './audit-log.module.js';
import { AuditController } from './audit.controller.js';

/** The audit trail route. */
@Module({ imports: [AuthModule, AuditLogModule, TenantsModule], controllers: [AuditController] })
export class AuditModule {}
