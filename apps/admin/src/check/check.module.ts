import { Module } from '@nestjs/common';
import { tenantPolicyReaderProvider } from '#database';
import { AuthModule } from '../auth/auth.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { CheckController } from './check.controller.js';
import { CheckService } from './check.service.js';

/** The check endpoint: the gateway's decision, explained. */
@Module({ imports: [AuthModule, TenantsModule], controllers: [CheckController], providers: [tenantPolicyReaderProvider, CheckService] })
export class CheckModule {}
