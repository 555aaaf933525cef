import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { createNestFastifyApp } from '#service-runtime';
import type { AdminConfig } from './config/admin.config.js';
import { AdminModule } from './admin.module.js';
import { OpenApiDocument } from './docs/openapi-document.js';

/** The admin app, ready to `listen()` or to be driven with `inject()` in tests. */
export async function createAdminApp(config: AdminConfig, logger: Logger): Promise<NestFastifyApplication> {
  const app = await createNestFastifyApp(AdminModule.forRoot(config), {
    logger,
    bodyLimit: config.ADMIN_BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
  });
  // Built from the routes, so only once they are all registered.
  app.get(OpenApiDocument).build(app);
  return app;
}
