import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { createNestFastifyApp } from '#service-runtime';
import type { AdminConfig } from './config/admin.config.js';
import { AdminModule } from './admin.module.js';

/** The admin app, ready to `listen()` or to be driven with `inject()` in tests. */
export function createAdminApp(config: AdminConfig, logger: Logger): Promise<NestFastifyApplication> {
  return createNestFastifyApp(AdminModule.forRoot(config), {
    logger,
    bodyLimit: config.ADMIN_BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
  });
}
