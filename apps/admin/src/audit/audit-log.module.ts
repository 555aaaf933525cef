import { Module } from '@nestjs/common';
import { AuditLogRepository } from './audit-log.repository.js';

/**
 * The audit log itself, imported by every feature that writes. Separate from
 * {@link AuditModule} (the read route), which needs the tenants feature that writes to it.
 */
@Module({ providers: [AuditLogRepository], exports: [AuditLogRepository] })
export class AuditLogModule {}
